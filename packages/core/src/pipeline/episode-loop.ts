import { Observable } from 'rxjs';
import { type AnyEnv, type CoreParallelEnv, type Info, isParallelEnv } from '../contracts/env.js';
import type { Policy, TrainContext, TrainEvent } from '../contracts/learner.js';
import { TwinforgeError } from '../errors.js';

/** The agent id used for single-agent environments in records and datasets. */
export const SINGLE_AGENT_ID = 'agent_0';

export interface Transition {
  agent: string;
  observation: unknown;
  action: unknown;
  reward: number;
  nextObservation: unknown;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface EpisodeLoopOptions {
  /** Exploration flag passed to the policy (default true). */
  explore?: boolean;
  /** Called for every agent transition: learners update from here. */
  onTransition?(transition: Transition): void;
  /** Called after each episode; may return metrics to emit. */
  onEpisodeEnd?(episode: number, totalReturn: number): Record<string, number> | undefined;
}

/**
 * The standard rollout: for each episode take a scenario, reset the environment with a seed from the run's stream,
 * act until every agent is done or `maxStepsPerEpisode`, and send every agent-step to `ctx.record` in the
 * T+1-rows-per-trajectory layout. Works for single-agent and parallel environments. It yields to the event loop
 * between episodes so an AbortSignal fired from a timer or SIGINT is seen promptly.
 */
export function runEpisodes(
  ctx: TrainContext,
  policy: Policy,
  options: EpisodeLoopOptions = {},
): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    let stopped = false;
    const explore = options.explore ?? true;
    const env = asParallel(ctx.env);
    const seeds = ctx.rng.split('reset-seeds');
    (async () => {
      let totalSteps = 0;
      for (let episode = 0; episode < ctx.episodes; episode++) {
        if (stopped || ctx.signal.aborted) break;
        const scenario = ctx.scenarios.next();
        const { observations } = env.reset({ seed: seeds.nextUint32(), options: { scenario } });
        const live = new Map<string, { obs: unknown; frame: number; ret: number; time: number }>();
        const returns: Record<string, number> = {};
        const first = (agent: string, obs: unknown, time = 0) => live.set(agent, { obs, frame: 0, ret: 0, time });
        for (const [agent, obs] of Object.entries(observations)) first(agent, obs);
        let t = 0;
        let interrupted = false;
        while (live.size > 0) {
          if (stopped || ctx.signal.aborted) {
            interrupted = true;
            break;
          }
          const actions: Record<string, unknown> = {};
          for (const [agent, s] of live) actions[agent] = policy.act(s.obs, { explore, agent });
          const res = env.step(actions);
          t++;
          const atLimit = t >= ctx.maxStepsPerEpisode;
          for (const [agent, s] of [...live]) {
            const reward = res.rewards[agent] ?? 0;
            if (!Number.isFinite(reward)) {
              throw new TwinforgeError(
                'NUMERIC_INVALID',
                `environment returned a non-finite reward for ${agent}: ${reward}`,
              );
            }
            const terminated = res.terminations[agent] ?? false;
            const truncated = !terminated && ((res.truncations[agent] ?? false) || atLimit);
            const nextObs = res.observations[agent];
            const info = res.infos[agent] ?? {};
            ctx.record({
              episodeIndex: episode,
              frameIndex: s.frame,
              timestamp: s.time,
              agentId: agent,
              observation: s.obs,
              action: actions[agent],
              reward,
              done: terminated,
              truncated,
              isFirst: s.frame === 0,
              isLast: false,
              isTerminal: false,
              scenarioId: scenario.id,
            });
            options.onTransition?.({
              agent,
              observation: s.obs,
              action: actions[agent],
              reward,
              nextObservation: nextObs,
              terminated,
              truncated,
              info,
            });
            s.ret += reward;
            s.frame++;
            s.obs = nextObs;
            // Simulated time of the new observation: the environment's clock when it reports one, else steps.
            s.time = typeof info.time_s === 'number' ? info.time_s : t;
            totalSteps++;
            if (terminated || truncated || nextObs === undefined) {
              ctx.record(lastRow(episode, agent, s, terminated, truncated, scenario.id));
              returns[agent] = s.ret;
              live.delete(agent);
            }
          }
          // Agents that join mid-episode appear in the observations of the step.
          for (const [agent, obs] of Object.entries(res.observations)) {
            if (!live.has(agent) && !(agent in returns) && !atLimit) first(agent, obs, t);
          }
        }
        for (const [agent, s] of live) {
          ctx.record(lastRow(episode, agent, s, false, true, scenario.id));
          returns[agent] = s.ret;
        }
        const values = Object.values(returns);
        const total = values.reduce((a, b) => a + b, 0);
        const mean = values.length > 0 ? total / values.length : 0;
        const length = t;
        if (!interrupted) ctx.feedback({ scenarioId: scenario.id, return: mean, length });
        subscriber.next({
          type: 'episode',
          episode,
          scenarioId: scenario.id,
          return: mean,
          length,
          ...(isParallelEnv(ctx.env) ? { returns } : {}),
        });
        const metrics = options.onEpisodeEnd?.(episode, mean);
        if (metrics) subscriber.next({ type: 'metrics', step: totalSteps, values: metrics });
        subscriber.next({ type: 'progress', episode: episode + 1, totalEpisodes: ctx.episodes, steps: totalSteps });
        if (interrupted) break;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      subscriber.complete();
    })().catch((error) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}

function lastRow(
  episode: number,
  agent: string,
  s: { obs: unknown; frame: number; time: number },
  terminated: boolean,
  truncated: boolean,
  scenarioId: string,
) {
  return {
    episodeIndex: episode,
    frameIndex: s.frame,
    timestamp: s.time,
    agentId: agent,
    observation: s.obs,
    action: null,
    reward: 0,
    done: terminated,
    truncated,
    isFirst: s.frame === 0,
    isLast: true,
    isTerminal: terminated,
    scenarioId,
  };
}

/** Presents a single-agent Env as a parallel env with one agent, so one loop serves both. */
export function asParallel(env: AnyEnv): Pick<CoreParallelEnv, 'reset' | 'step'> {
  if (isParallelEnv(env)) return env;
  return {
    reset(options) {
      const { observation, info } = env.reset(options);
      return { observations: { [SINGLE_AGENT_ID]: observation }, infos: { [SINGLE_AGENT_ID]: info } };
    },
    step(actions) {
      const r = env.step(actions[SINGLE_AGENT_ID]);
      return {
        observations: { [SINGLE_AGENT_ID]: r.observation },
        rewards: { [SINGLE_AGENT_ID]: r.reward },
        terminations: { [SINGLE_AGENT_ID]: r.terminated },
        truncations: { [SINGLE_AGENT_ID]: r.truncated },
        infos: { [SINGLE_AGENT_ID]: r.info },
      };
    },
  };
}
