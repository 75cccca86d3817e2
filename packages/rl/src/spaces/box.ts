import { type Rng, TwinforgeError } from '@twinforge/core';
import { type FlatArray, type JsonBound, Space } from './space.js';

export interface BoxOptions {
  /** Needed when both bounds are scalars; otherwise the bound arrays' length gives a 1-D shape. */
  shape?: readonly number[];
}

/**
 * A box in R^shape with float32 values, stored row-major in a flat Float32Array: the layout replay buffers and
 * networks use, so observations move without copies. Bounds may be scalars (broadcast) or flat arrays; ±Infinity
 * marks an unbounded side, and sampling then follows Gymnasium (normal when unbounded, exponential shifts when
 * half-bounded, uniform when bounded).
 */
export class Box extends Space<Float32Array> {
  readonly shape: readonly number[];
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly dtype = 'float32' as const;
  readonly flatdim: number;

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, options: BoxOptions = {}) {
    super();
    const shape = options.shape ?? inferShape(low, high);
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) {
        throw new TwinforgeError(
          'INVALID_ARGUMENT',
          `Box shape entries must be integers >= 0, got [${shape.join(', ')}]`,
        );
      }
    }
    this.shape = Object.freeze([...shape]);
    this.flatdim = shape.reduce((a, b) => a * b, 1);
    this.low = broadcast(low, this.flatdim, 'low');
    this.high = broadcast(high, this.flatdim, 'high');
    for (let i = 0; i < this.flatdim; i++) {
      const lo = this.low[i] as number;
      const hi = this.high[i] as number;
      if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi || lo === Infinity || hi === -Infinity) {
        throw new TwinforgeError('INVALID_ARGUMENT', `Box bounds at index ${i} are invalid: low ${lo}, high ${hi}`);
      }
    }
  }

  /** True when every dimension has finite bounds on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.flatdim; i++) {
      if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) return false;
    }
    return true;
  }

  sample(rng: Rng): Float32Array {
    const out = new Float32Array(this.flatdim);
    for (let i = 0; i < this.flatdim; i++) {
      const lo = this.low[i] as number;
      const hi = this.high[i] as number;
      const loF = Number.isFinite(lo);
      const hiF = Number.isFinite(hi);
      let v: number;
      if (loF && hiF) v = rng.uniform(lo, hi);
      else if (loF) v = lo + rng.exponential();
      else if (hiF) v = hi - rng.exponential();
      else v = rng.normal();
      // Rounding to float32 may land just outside a bound that is not itself a float32 neighbour; clamp keeps
      // every sample inside the space.
      out[i] = Math.min(Math.max(Math.fround(v), lo), hi);
    }
    return out;
  }

  contains(value: unknown): boolean {
    if (!(value instanceof Float32Array) || value.length !== this.flatdim) return false;
    for (let i = 0; i < this.flatdim; i++) {
      const v = value[i] as number;
      if (!(v >= (this.low[i] as number) && v <= (this.high[i] as number))) return false;
    }
    return true;
  }

  flattenInto(value: Float32Array, out: FlatArray, offset: number): void {
    if (value.length !== this.flatdim) {
      throw new TwinforgeError('INVALID_ARGUMENT', `Box value has length ${value.length}, expected ${this.flatdim}`);
    }
    out.set(value, offset);
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): Float32Array {
    const out = new Float32Array(this.flatdim);
    for (let i = 0; i < this.flatdim; i++) out[i] = flat[offset + i] as number;
    return out;
  }

  toJSON() {
    return {
      type: 'Box' as const,
      shape: [...this.shape],
      low: boundsToJSON(this.low),
      high: boundsToJSON(this.high),
      dtype: 'float32' as const,
    };
  }
}

function inferShape(low: number | ArrayLike<number>, high: number | ArrayLike<number>): number[] {
  if (typeof low !== 'number') return [low.length];
  if (typeof high !== 'number') return [high.length];
  throw new TwinforgeError('INVALID_ARGUMENT', 'Box with scalar low and high needs options.shape');
}

function broadcast(bound: number | ArrayLike<number>, size: number, name: string): Float32Array {
  if (typeof bound === 'number') return new Float32Array(size).fill(bound);
  if (bound.length !== size) {
    throw new TwinforgeError('INVALID_ARGUMENT', `Box ${name} has length ${bound.length}, expected ${size}`);
  }
  return Float32Array.from(bound);
}

function boundToJSON(v: number): JsonBound {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v;
}

/** A scalar when every entry is equal (what core's ToyBox writes), otherwise the flat array. */
function boundsToJSON(b: Float32Array): JsonBound | JsonBound[] {
  if (b.length > 0 && b.every((v) => Object.is(v, b[0]))) return boundToJSON(b[0] as number);
  return Array.from(b, boundToJSON);
}
