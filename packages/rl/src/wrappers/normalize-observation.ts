import { TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Box } from '../spaces/box.js';
import { ObservationWrapper } from './wrapper.js';

/**
 * Standardises Box observations with a running mean and variance (Welford's update in float64, which stays
 * accurate over millions of steps where the naive sum-of-squares form cancels catastrophically). Set
 * `updateRunningStats = false` to freeze the statistics for evaluation.
 */
export class NormalizeObservation<A> extends ObservationWrapper<Float32Array, A, Float32Array> {
  updateRunningStats = true;
  readonly #space: Box;
  readonly #mean: Float64Array;
  readonly #m2: Float64Array;
  #count = 0;

  constructor(
    env: Env<Float32Array, A>,
    readonly epsilon = 1e-8,
  ) {
    super(env);
    if (!(env.observationSpace instanceof Box)) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'NormalizeObservation needs a Box observation space');
    }
    const n = env.observationSpace.flatdim;
    this.#space = new Box(-Infinity, Infinity, { shape: env.observationSpace.shape });
    this.#mean = new Float64Array(n);
    this.#m2 = new Float64Array(n);
  }

  override get observationSpace(): Box {
    return this.#space;
  }

  get count(): number {
    return this.#count;
  }

  /** Running mean per dimension (a copy). */
  get mean(): Float64Array {
    return this.#mean.slice();
  }

  /** Running population variance per dimension (a copy); 1 before any observation, so the first output is finite. */
  get var(): Float64Array {
    const out = new Float64Array(this.#mean.length);
    for (let i = 0; i < out.length; i++) out[i] = this.#count > 0 ? (this.#m2[i] as number) / this.#count : 1;
    return out;
  }

  protected observation(observation: Float32Array): Float32Array {
    const n = this.#mean.length;
    if (this.updateRunningStats) {
      this.#count++;
      for (let i = 0; i < n; i++) {
        const x = observation[i] as number;
        const d = x - (this.#mean[i] as number);
        this.#mean[i] = (this.#mean[i] as number) + d / this.#count;
        this.#m2[i] = (this.#m2[i] as number) + d * (x - (this.#mean[i] as number));
      }
    }
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.#count > 0 ? (this.#m2[i] as number) / this.#count : 1;
      out[i] = ((observation[i] as number) - (this.#mean[i] as number)) / Math.sqrt(v + this.epsilon);
    }
    return out;
  }
}
