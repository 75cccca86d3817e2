import {
  type Info,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type StepResult,
  TwinforgeError,
} from '@twinforge/core';
import { type Box, type Env, MultiDiscrete } from '@twinforge/rl';
import type { TacticalMeshConfig, TacticalMeshConfigInput } from './config.js';
import { TacticalMeshEnv } from './tactical-mesh-env.js';

/**
 * The mesh as one centralised agent (seed 003's "Centralized RL (Oracle)" upper bound): it observes `state()` and
 * sets every node's [slot, power level, channel] at once through a MultiDiscrete of length 3·N (node-major); its
 * reward is the mean of the per-node rewards. A Gymnasium-style Env, so `checkEnv` applies.
 */
export class TacticalMeshCentralEnv implements Env<Float32Array, Int32Array> {
  readonly mesh: TacticalMeshEnv;
  readonly observationSpace: Box;
  readonly actionSpace: MultiDiscrete;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly supportedEvents;

  constructor(config: TacticalMeshConfigInput | TacticalMeshConfig = {}, rng?: Rng) {
    this.mesh = new TacticalMeshEnv(config, rng);
    this.observationSpace = this.mesh.stateSpace;
    const per = this.mesh.actionSpace(this.mesh.possibleAgents[0] as string).nvec;
    const nvec = new Int32Array(per.length * this.mesh.possibleAgents.length);
    for (let i = 0; i < this.mesh.possibleAgents.length; i++) nvec.set(per, i * per.length);
    this.actionSpace = new MultiDiscrete(nvec);
    this.supportedEvents = this.mesh.supportedEvents;
    this.metadata = { ...this.mesh.metadata, name: 'tactical-mesh-central' };
  }

  reset(options?: ResetOptions): ResetResult<Float32Array> {
    const r = this.mesh.reset(options);
    const first = this.mesh.possibleAgents[0] as string;
    return { observation: this.mesh.state(), info: { ...(r.infos[first] as Info) } };
  }

  step(action: Int32Array): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) {
      throw new TwinforgeError(
        'ENV_INVALID_ACTION',
        `action must be an Int32Array of ${this.actionSpace.nvec.length} entries within nvec`,
      );
    }
    const agents = this.mesh.agents;
    const actions: Record<string, Int32Array> = {};
    agents.forEach((agent, i) => {
      actions[agent] = action.subarray(3 * i, 3 * i + 3);
    });
    const r = this.mesh.step(actions);
    let reward = 0;
    for (const agent of agents) reward += r.rewards[agent] as number;
    reward /= agents.length;
    const first = agents[0] as string;
    return {
      observation: this.mesh.state(),
      reward,
      terminated: false,
      truncated: r.truncations[first] as boolean,
      info: { time_s: this.mesh.time_s, metrics: this.mesh.metrics },
    };
  }

  close(): void {
    this.mesh.close();
  }
}
