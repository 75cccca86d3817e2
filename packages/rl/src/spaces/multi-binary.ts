import { type Rng, TwinforgeError } from '@twinforge/core';
import { type FlatArray, Space } from './space.js';

/** n independent bits as an Int8Array of 0/1 (Gymnasium's int8 dtype). Flattens to the bits themselves. */
export class MultiBinary extends Space<Int8Array> {
  readonly flatdim: number;

  constructor(readonly n: number) {
    super();
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `MultiBinary n must be an integer >= 1, got ${n}`);
    }
    this.flatdim = n;
  }

  sample(rng: Rng): Int8Array {
    const out = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = rng.int(0, 1);
    return out;
  }

  contains(value: unknown): boolean {
    if (!(value instanceof Int8Array) || value.length !== this.n) return false;
    for (const v of value) if (v !== 0 && v !== 1) return false;
    return true;
  }

  flattenInto(value: Int8Array, out: FlatArray, offset: number): void {
    if (!this.contains(value)) throw new TwinforgeError('INVALID_ARGUMENT', 'value is not in this MultiBinary');
    for (let i = 0; i < this.n; i++) out[offset + i] = value[i] as number;
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): Int8Array {
    const out = new Int8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = (flat[offset + i] as number) !== 0 ? 1 : 0;
    return out;
  }

  toJSON() {
    return { type: 'MultiBinary' as const, n: this.n };
  }
}
