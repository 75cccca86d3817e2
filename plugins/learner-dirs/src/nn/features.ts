import { assertFinite, TwinforgeError } from '@twinforge/core';

/** Gains below this count as this before the logarithm (a dead link is then just a very weak one to the network). */
export const MIN_GAIN = 1e-30;

/**
 * The agents' input transform: x = (log10 h − μ)/σ. Channel gains span orders of magnitude (β0/d² times an
 * exponential fading), which a network digests in decibels, not linearly. μ and σ are one scalar pair for all
 * agents, fitted on the demonstration states, so every agent sees the same scale and relative distances survive.
 */
export class GainFeatures {
  readonly mean: number;
  readonly std: number;

  constructor(mean: number, std: number) {
    assertFinite(mean, 'feature mean');
    if (!(std > 0) || !Number.isFinite(std))
      throw new TwinforgeError('NUMERIC_INVALID', `feature std must be > 0, got ${std}`);
    this.mean = mean;
    this.std = std;
  }

  /** Fits μ, σ of log10 h over states (each an N×M gain matrix, or any flat array of gains). */
  static fit(states: readonly ArrayLike<number>[]): GainFeatures {
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (const s of states) {
      for (let k = 0; k < s.length; k++) {
        const v = Math.log10(Math.max(s[k] as number, MIN_GAIN));
        n++;
        sum += v;
        sq += v * v;
      }
    }
    if (n < 2) throw new TwinforgeError('INVALID_ARGUMENT', 'GainFeatures.fit needs at least two gains');
    const mean = sum / n;
    const std = Math.sqrt(Math.max(sq / n - mean * mean, 1e-12));
    return new GainFeatures(mean, std);
  }

  /** Agent j's input from an N×M row-major gain matrix: features of column j into `out` (length N). */
  columnInto(out: Float32Array, gains: ArrayLike<number>, mecs: number, j: number): Float32Array {
    const inv = 1 / this.std;
    for (let i = 0; i < out.length; i++) {
      out[i] = (Math.log10(Math.max(gains[i * mecs + j] as number, MIN_GAIN)) - this.mean) * inv;
    }
    return out;
  }

  /** Features of a whole N×M matrix (same layout), as stored in the replay buffer. */
  matrixInto(out: Float32Array, gains: ArrayLike<number>): Float32Array {
    const inv = 1 / this.std;
    for (let k = 0; k < out.length; k++)
      out[k] = (Math.log10(Math.max(gains[k] as number, MIN_GAIN)) - this.mean) * inv;
    return out;
  }

  toJSON(): { mean: number; std: number } {
    return { mean: this.mean, std: this.std };
  }
}
