import { type Info, TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import type { ResetRequest } from './reset-request.js';
import type { AutoresetMode } from './vector-types.js';

/** The typed rows a batch writes into: fresh arrays in SyncVectorEnv, views of shared memory in a worker. */
export interface BatchRows {
  observations: Float32Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

/**
 * The stepping loop of a vector env over a contiguous run of sub-environments, shared by SyncVectorEnv (all of
 * them) and each AsyncVectorEnv worker (its slice), so both have the same autoreset and seeding by construction.
 * Row i of the output belongs to sub-environment `firstIndex + i`; every cell of a row is written on every call
 * (shared rows hold the previous step's values, so nothing may rely on zero-initialised memory).
 */
export class SubEnvBatch<O, A> {
  readonly #ended: Uint8Array;
  #cursor = 0;

  constructor(
    readonly envs: readonly Env<O, A>[],
    /** Global index of `envs[0]`: sub-environment i is seeded `seed + firstIndex + i`. */
    readonly firstIndex: number,
    readonly autoresetMode: AutoresetMode,
    readonly obsDim: number,
  ) {
    this.#ended = new Uint8Array(envs.length);
  }

  /** Global index of the sub-environment the last call reached: the one that threw, when a call threw. */
  get cursor(): number {
    return this.firstIndex + this.#cursor;
  }

  /** `request.mask`, when given, has one entry per env of this batch. Unmasked rows are zero, their infos empty. */
  reset(request: ResetRequest, observations: Float32Array, infos: Info[]): void {
    const d = this.obsDim;
    const { seed, mask, options } = request;
    for (let i = 0; i < this.envs.length; i++) {
      this.#cursor = i;
      if (mask !== undefined && !mask[i]) {
        observations.fill(0, i * d, i * d + d);
        infos[i] = {};
        continue;
      }
      const env = this.envs[i] as Env<O, A>;
      const r = env.reset({
        ...(seed === undefined ? {} : { seed: seed + this.firstIndex + i }),
        ...(options === undefined ? {} : { options }),
      });
      env.observationSpace.flattenInto(r.observation, observations, i * d);
      infos[i] = r.info;
      this.#ended[i] = 0;
    }
  }

  step(actions: readonly A[], rows: BatchRows, infos: Info[]): void {
    const { observations, rewards, terminations, truncations } = rows;
    const d = this.obsDim;
    for (let i = 0; i < this.envs.length; i++) {
      this.#cursor = i;
      const env = this.envs[i] as Env<O, A>;
      const space = env.observationSpace;
      if (this.#ended[i]) {
        if (this.autoresetMode === 'disabled') {
          throw new TwinforgeError(
            'ENV_NOT_RESET',
            `sub-environment ${this.firstIndex + i} has ended; reset it with a resetMask`,
          );
        }
        // next-step: this step is the reset.
        const r = env.reset();
        space.flattenInto(r.observation, observations, i * d);
        rewards[i] = 0;
        terminations[i] = 0;
        truncations[i] = 0;
        infos[i] = r.info;
        this.#ended[i] = 0;
        continue;
      }
      const r = env.step(actions[i] as A);
      rewards[i] = r.reward;
      terminations[i] = r.terminated ? 1 : 0;
      truncations[i] = r.truncated ? 1 : 0;
      const done = r.terminated || r.truncated;
      if (done && this.autoresetMode === 'same-step') {
        const reset = env.reset();
        space.flattenInto(reset.observation, observations, i * d);
        infos[i] = { ...reset.info, finalObservation: r.observation, finalInfo: r.info };
        continue;
      }
      space.flattenInto(r.observation, observations, i * d);
      infos[i] = r.info;
      if (done) this.#ended[i] = 1;
    }
  }

  close(): void {
    for (let i = 0; i < this.envs.length; i++) {
      this.#cursor = i;
      this.envs[i]?.close?.();
    }
  }
}
