import type { SpaceLike } from '../contracts/env.js';
import type { Rng } from '../rng/rng.js';

/*
 * The two spaces the built-in toy environment needs. The full space library (Box, Discrete, MultiDiscrete,
 * MultiBinary, Dict, Tuple with flatten helpers) lives in @twinforge/rl; these serialise to the same JSON so
 * datasets written from the toy environment read the same way.
 */

export class ToyDiscrete implements SpaceLike<number> {
  constructor(readonly n: number) {}
  sample(rng: Rng): number {
    return rng.int(0, this.n - 1);
  }
  contains(value: unknown): boolean {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < this.n;
  }
  toJSON() {
    return { type: 'Discrete', n: this.n, start: 0 };
  }
}

export class ToyBox implements SpaceLike<Float32Array> {
  constructor(
    readonly size: number,
    readonly low: number,
    readonly high: number,
  ) {}
  sample(rng: Rng): Float32Array {
    return rng.fillUniform(new Float32Array(this.size), this.low, this.high);
  }
  contains(value: unknown): boolean {
    if (!(value instanceof Float32Array) || value.length !== this.size) return false;
    for (const v of value) if (!(v >= this.low && v <= this.high)) return false;
    return true;
  }
  toJSON() {
    return { type: 'Box', shape: [this.size], low: this.low, high: this.high, dtype: 'float32' };
  }
}
