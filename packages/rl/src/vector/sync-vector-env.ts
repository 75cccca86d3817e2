import { type Info, type ResetOptions, TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import type { Space } from '../spaces/space.js';

/**
 * What happens when a sub-environment's episode ends, as Gymnasium 1.x defines it:
 * - `next-step`: the step that ends the episode returns it as is; the next `step` resets that sub-environment
 *   (its action is ignored) and returns the reset observation with reward 0 and both flags false.
 * - `same-step`: the sub-environment is reset within the same step; the returned row is the reset observation and
 *   the terminal one is kept in `infos[i].finalObservation` (with `finalInfo`).
 * - `disabled`: nothing is reset; stepping an ended sub-environment is an error until `reset` with a `resetMask`.
 */
export type AutoresetMode = 'next-step' | 'same-step' | 'disabled';

export interface VectorResetResult {
  /** Row-major `[numEnvs, flatdim]` flattened observations. */
  observations: Float32Array;
  infos: Info[];
}

export interface VectorStepResult extends VectorResetResult {
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}

export interface SyncVectorEnvOptions {
  autoresetMode?: AutoresetMode;
}

/**
 * Runs `numEnvs` copies of an environment in one process, batching results as struct-of-arrays (one flat
 * observation matrix, typed reward and flag vectors) so a learner fills its tensors without per-env objects.
 * `reset({ seed })` seeds sub-environment i with `seed + i`: distinct, reproducible streams.
 * Output arrays are fresh on every call; callers may keep them.
 */
export class SyncVectorEnv<O, A> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly autoresetMode: AutoresetMode;
  readonly #envs: Env<O, A>[];
  readonly #ended: Uint8Array;
  readonly #obsDim: number;
  #ready = false;

  constructor(envFns: readonly (() => Env<O, A>)[], options: SyncVectorEnvOptions = {}) {
    if (envFns.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'SyncVectorEnv needs at least one env');
    this.#envs = envFns.map((f) => f());
    this.numEnvs = this.#envs.length;
    const first = this.#envs[0] as Env<O, A>;
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    const spec = JSON.stringify(first.observationSpace.toJSON());
    for (const e of this.#envs) {
      if (JSON.stringify(e.observationSpace.toJSON()) !== spec) {
        throw new TwinforgeError('INVALID_ARGUMENT', 'all sub-environments must share one observation space');
      }
    }
    this.autoresetMode = options.autoresetMode ?? 'next-step';
    this.#obsDim = first.observationSpace.flatdim;
    this.#ended = new Uint8Array(this.numEnvs);
  }

  /** The sub-environments, for inspection (e.g. wrappers' statistics). */
  get envs(): readonly Env<O, A>[] {
    return this.#envs;
  }

  /**
   * Resets every sub-environment, or with `options.resetMask` (boolean per env) only the masked ones; unmasked
   * rows of the result are zero and their infos empty.
   */
  reset(options: ResetOptions = {}): VectorResetResult {
    const mask = options.options?.resetMask as readonly boolean[] | undefined;
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== this.numEnvs)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `resetMask must be an array of ${this.numEnvs} booleans`);
    }
    const { resetMask: _m, ...rest } = options.options ?? {};
    const observations = new Float32Array(this.numEnvs * this.#obsDim);
    const infos: Info[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask !== undefined && !mask[i]) {
        infos.push({});
        continue;
      }
      const env = this.#envs[i] as Env<O, A>;
      const r = env.reset({
        ...(options.seed === undefined ? {} : { seed: options.seed + i }),
        ...(Object.keys(rest).length > 0 ? { options: rest } : {}),
      });
      env.observationSpace.flattenInto(r.observation, observations, i * this.#obsDim);
      infos.push(r.info);
      this.#ended[i] = 0;
    }
    this.#ready = true;
    return { observations, infos };
  }

  step(actions: readonly A[]): VectorStepResult {
    if (!this.#ready) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    if (actions.length !== this.numEnvs) {
      throw new TwinforgeError('ENV_INVALID_ACTION', `expected ${this.numEnvs} actions, got ${actions.length}`);
    }
    const n = this.numEnvs;
    const d = this.#obsDim;
    const observations = new Float32Array(n * d);
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    const infos: Info[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const env = this.#envs[i] as Env<O, A>;
      const space = env.observationSpace;
      if (this.#ended[i]) {
        if (this.autoresetMode === 'disabled') {
          throw new TwinforgeError('ENV_NOT_RESET', `sub-environment ${i} has ended; reset it with a resetMask`);
        }
        // next-step: this step is the reset.
        const r = env.reset();
        space.flattenInto(r.observation, observations, i * d);
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
    return { observations, rewards, terminations, truncations, infos };
  }

  close(): void {
    for (const e of this.#envs) e.close?.();
  }
}
