import { type Rng, TwinforgeError } from '@twinforge/core';
import { oneHotIndex } from './discrete.js';
import { type FlatArray, Space } from './space.js';

/**
 * A vector of independent discrete choices: entry i lies in `start[i] .. start[i] + nvec[i] - 1`. Values are
 * Int32Arrays (a fixed dtype, like Gymnasium's int64 arrays, so buffers can store them without conversion).
 * Flattens to concatenated one-hot segments.
 */
export class MultiDiscrete extends Space<Int32Array> {
  readonly nvec: Int32Array;
  readonly start: Int32Array;
  readonly flatdim: number;

  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>) {
    super();
    this.nvec = Int32Array.from(nvec);
    this.start = start === undefined ? new Int32Array(this.nvec.length) : Int32Array.from(start);
    if (this.start.length !== this.nvec.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'MultiDiscrete start must have the same length as nvec');
    }
    for (let i = 0; i < nvec.length; i++) {
      const n = nvec[i] as number;
      if (!Number.isInteger(n) || n < 1 || n !== this.nvec[i]) {
        throw new TwinforgeError('INVALID_ARGUMENT', `MultiDiscrete nvec[${i}] must be an integer >= 1, got ${n}`);
      }
      if (start !== undefined && start[i] !== this.start[i]) {
        throw new TwinforgeError('INVALID_ARGUMENT', `MultiDiscrete start[${i}] must be a 32-bit integer`);
      }
    }
    this.flatdim = this.nvec.reduce((a, b) => a + b, 0);
  }

  sample(rng: Rng): Int32Array {
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) {
      const s = this.start[i] as number;
      out[i] = rng.int(s, s + (this.nvec[i] as number) - 1);
    }
    return out;
  }

  contains(value: unknown): boolean {
    if (!(value instanceof Int32Array) || value.length !== this.nvec.length) return false;
    for (let i = 0; i < value.length; i++) {
      const k = (value[i] as number) - (this.start[i] as number);
      if (k < 0 || k >= (this.nvec[i] as number)) return false;
    }
    return true;
  }

  flattenInto(value: Int32Array, out: FlatArray, offset: number): void {
    if (!this.contains(value)) throw new TwinforgeError('INVALID_ARGUMENT', 'value is not in this MultiDiscrete');
    out.fill(0, offset, offset + this.flatdim);
    let o = offset;
    for (let i = 0; i < value.length; i++) {
      out[o + (value[i] as number) - (this.start[i] as number)] = 1;
      o += this.nvec[i] as number;
    }
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): Int32Array {
    const out = new Int32Array(this.nvec.length);
    let o = offset;
    for (let i = 0; i < out.length; i++) {
      const n = this.nvec[i] as number;
      out[i] = (this.start[i] as number) + oneHotIndex(flat, o, n);
      o += n;
    }
    return out;
  }

  toJSON() {
    return { type: 'MultiDiscrete' as const, nvec: Array.from(this.nvec), start: Array.from(this.start) };
  }
}
