import { TwinforgeError } from '@twinforge/core';

/** Gains below this count as this before the logarithm (a dead link is then just a very weak one to the network). */
export const MIN_GAIN = 1e-30;

/**
 * The agents' input transform: x_ij = (log10 h_ij − μ_ij)/σ_ij, standardised per link (per input of each agent).
 * Channel gains span orders of magnitude (β0/d² times an exponential fading), which a network digests in decibels,
 * and per-input standardisation (scikit-learn's StandardScaler) puts every input on the same scale: the distance part
 * of a link moves into μ_ij (which the agent's biases can learn), the fading of the slot is what varies. μ, σ are
 * fitted on the demonstration states.
 */
export class GainFeatures {
  readonly mean: Float64Array;
  readonly std: Float64Array;

  constructor(mean: ArrayLike<number>, std: ArrayLike<number>) {
    if (mean.length !== std.length || mean.length === 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'GainFeatures needs mean and std of the same non-zero length');
    }
    this.mean = Float64Array.from(mean);
    this.std = Float64Array.from(std);
    for (let k = 0; k < this.mean.length; k++) {
      if (
        !Number.isFinite(this.mean[k] as number) ||
        !((this.std[k] as number) > 0) ||
        !Number.isFinite(this.std[k] as number)
      ) {
        throw new TwinforgeError(
          'NUMERIC_INVALID',
          `feature ${k}: mean ${this.mean[k]} and std ${this.std[k]} must be finite, std > 0`,
        );
      }
    }
  }

  /** Fits μ, σ of log10 h per link over states (each an N×M gain matrix, all of the same length). */
  static fit(states: readonly ArrayLike<number>[]): GainFeatures {
    const first = states[0];
    if (!first || states.length < 2)
      throw new TwinforgeError('INVALID_ARGUMENT', 'GainFeatures.fit needs at least two states');
    const len = first.length;
    const sum = new Float64Array(len);
    const sq = new Float64Array(len);
    for (const s of states) {
      if (s.length !== len) throw new TwinforgeError('INVALID_ARGUMENT', 'GainFeatures.fit: states differ in length');
      for (let k = 0; k < len; k++) {
        const v = Math.log10(Math.max(s[k] as number, MIN_GAIN));
        sum[k] = (sum[k] as number) + v;
        sq[k] = (sq[k] as number) + v * v;
      }
    }
    const n = states.length;
    const mean = new Float64Array(len);
    const std = new Float64Array(len);
    for (let k = 0; k < len; k++) {
      const m = (sum[k] as number) / n;
      mean[k] = m;
      // a floor keeps constant inputs (e.g. a link that is always dead) finite
      std[k] = Math.sqrt(Math.max((sq[k] as number) / n - m * m, 1e-6));
    }
    return new GainFeatures(mean, std);
  }

  /** Agent j's input from an N×M row-major gain matrix: features of column j into `out` (length N). */
  columnInto(out: Float32Array, gains: ArrayLike<number>, mecs: number, j: number): Float32Array {
    for (let i = 0; i < out.length; i++) {
      const k = i * mecs + j;
      out[i] =
        (Math.log10(Math.max(gains[k] as number, MIN_GAIN)) - (this.mean[k] as number)) / (this.std[k] as number);
    }
    return out;
  }

  /** Agent j's input from its own observation h_j (N gains), as MEC j sees it. */
  observationInto(out: Float32Array, hj: ArrayLike<number>, mecs: number, j: number): Float32Array {
    if (hj.length !== out.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', `observation has ${hj.length} gains, expected ${out.length}`);
    }
    for (let i = 0; i < out.length; i++) {
      const k = i * mecs + j;
      out[i] = (Math.log10(Math.max(hj[i] as number, MIN_GAIN)) - (this.mean[k] as number)) / (this.std[k] as number);
    }
    return out;
  }

  /** Features of a whole N×M matrix (same layout), as stored in the replay buffer. */
  matrixInto(out: Float32Array, gains: ArrayLike<number>): Float32Array {
    for (let k = 0; k < out.length; k++) {
      out[k] =
        (Math.log10(Math.max(gains[k] as number, MIN_GAIN)) - (this.mean[k] as number)) / (this.std[k] as number);
    }
    return out;
  }

  toJSON(): { mean: number[]; std: number[] } {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }
}
