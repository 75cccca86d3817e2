import type { StepRecord } from '@twinforge/core';
import { decisionToScores, type MecCostModel, type MecEnv, type MecStepInfo } from '@twinforge/plugin-env-mec';

/** One executed slot: the state, the decision the environment executed and what it cost. */
export interface SlotRecord {
  /** h (N×M row-major) of the slot. */
  readonly gains: Float64Array;
  readonly decision: Int32Array;
  readonly phi: number;
  readonly time: number;
  readonly energy: number;
}

/** Per-agent scores for the current slot, from the slot's cost model (centralised) or the observations. */
export type MecActor = (
  model: MecCostModel,
  observations: Record<string, Float32Array>,
  slot: number,
) => Float32Array[];

/** An actor from a centralised decision rule: the rule decides, each agent emits one-hot scores for its MEC. */
export function decisionActor(decide: (model: MecCostModel, slot: number) => Int32Array): MecActor {
  return (model, _obs, slot) => decisionToScores(decide(model, slot), model.mecs);
}

export interface RolloutOptions {
  /** Reset seed: the channel draws of the episode. */
  readonly seed: number;
  /** Slots to run (the environment's horizon must allow them). */
  readonly slots: number;
  /** Receives every agent-step in the dataset layout (T+1 rows per agent), e.g. a ParquetDatasetSink's write. */
  readonly record?: (record: StepRecord) => void;
  readonly episodeIndex?: number;
  readonly scenarioId?: string;
  /** Called after every slot (progress, online training). */
  readonly onSlot?: (slot: number, executed: SlotRecord) => void;
}

/**
 * Runs an actor in a MecEnv for one episode and returns every executed slot. With `record`, every agent-step goes
 * out as a StepRecord (the long layout of @twinforge/data): observation h_j, action = the agent's scores, the global
 * reward; the last row per agent holds the final observation. Demonstrations and evaluation trajectories are
 * written this way.
 */
export function rolloutMec(env: MecEnv, actor: MecActor, options: RolloutOptions): SlotRecord[] {
  const { slots } = options;
  const episode = options.episodeIndex ?? 0;
  const scenarioId = options.scenarioId ?? `mec-seed-${options.seed}`;
  let { observations } = env.reset({ seed: options.seed });
  const out: SlotRecord[] = [];
  let time = 0;
  for (let t = 0; t < slots; t++) {
    if (env.agents.length === 0) break;
    const model = env.model;
    const gains = model.instance.gain.slice();
    const scores = actor(model, observations, t);
    const actions: Record<string, Float32Array> = {};
    env.agents.forEach((agent, j) => {
      actions[agent] = scores[j] as Float32Array;
    });
    const res = env.step(actions);
    const info = res.infos[env.possibleAgents[0] as string] as MecStepInfo;
    const last = t + 1 === slots || env.agents.length === 0;
    for (const [j, agent] of env.possibleAgents.entries()) {
      options.record?.({
        episodeIndex: episode,
        frameIndex: t,
        timestamp: time,
        agentId: agent,
        observation: observations[agent],
        action: scores[j],
        reward: res.rewards[agent] as number,
        done: false,
        truncated: last,
        isFirst: t === 0,
        isLast: false,
        isTerminal: false,
        scenarioId,
      });
      if (last) {
        options.record?.({
          episodeIndex: episode,
          frameIndex: t + 1,
          timestamp: info.time_s,
          agentId: agent,
          observation: res.observations[agent],
          action: null,
          reward: 0,
          done: false,
          truncated: true,
          isFirst: false,
          isLast: true,
          isTerminal: false,
          scenarioId,
        });
      }
    }
    const executed: SlotRecord = {
      gains,
      decision: info.decision,
      phi: info.phi,
      time: info.time,
      energy: info.energy,
    };
    out.push(executed);
    options.onSlot?.(t, executed);
    observations = res.observations as Record<string, Float32Array>;
    time = info.time_s;
  }
  return out;
}
