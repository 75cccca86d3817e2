import { type Rng, TwinforgeError } from '@twinforge/core';
import { type FlatArray, Space } from './space.js';

/** Integers `start, ..., start + n - 1`. Flattens to a one-hot vector, as Gymnasium does. */
export class Discrete extends Space<number> {
  readonly flatdim: number;

  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    super();
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `Discrete n must be an integer >= 1, got ${n}`);
    }
    if (!Number.isSafeInteger(start)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `Discrete start must be an integer, got ${start}`);
    }
    this.flatdim = n;
  }

  /**
   * A uniform value, or with `mask` (length n, 1 = allowed) a uniform allowed one, as Gymnasium's action masks:
   * environments with invalid actions (a jammed channel, a full server) let random exploration skip them.
   */
  sample(rng: Rng, mask?: ArrayLike<number>): number {
    if (mask === undefined) return rng.int(this.start, this.start + this.n - 1);
    if (mask.length !== this.n) {
      throw new TwinforgeError('INVALID_ARGUMENT', `mask has length ${mask.length}, expected ${this.n}`);
    }
    let allowed = 0;
    for (let i = 0; i < this.n; i++) {
      const m = mask[i];
      if (m !== 0 && m !== 1) throw new TwinforgeError('INVALID_ARGUMENT', `mask[${i}] must be 0 or 1, got ${m}`);
      allowed += m;
    }
    if (allowed === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'mask allows no action');
    let k = rng.int(0, allowed - 1);
    for (let i = 0; i < this.n; i++) {
      if (mask[i] === 1 && k-- === 0) return this.start + i;
    }
    throw new TwinforgeError('INVALID_ARGUMENT', 'unreachable: mask count changed while sampling');
  }

  contains(value: unknown): boolean {
    return Number.isInteger(value) && (value as number) >= this.start && (value as number) < this.start + this.n;
  }

  flattenInto(value: number, out: FlatArray, offset: number): void {
    if (!this.contains(value)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${String(value)} is not in Discrete(${this.n}, ${this.start})`);
    }
    out.fill(0, offset, offset + this.n);
    out[offset + value - this.start] = 1;
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): number {
    return this.start + oneHotIndex(flat, offset, this.n);
  }

  toJSON() {
    return { type: 'Discrete' as const, n: this.n, start: this.start };
  }
}

/** The index of the single non-zero entry of a one-hot segment; anything else is an error, not a guess. */
export function oneHotIndex(flat: ArrayLike<number>, offset: number, n: number): number {
  let found = -1;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const v = flat[offset + i] as number;
    if (v === 1) {
      found = i;
      ones++;
    } else if (v !== 0) {
      ones = 2; // any other value makes the segment invalid
    }
  }
  if (ones !== 1) {
    throw new TwinforgeError('INVALID_ARGUMENT', `not a one-hot segment at offset ${offset} (width ${n})`);
  }
  return found;
}
