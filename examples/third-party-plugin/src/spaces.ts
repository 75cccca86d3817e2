import type { Rng, SpaceLike } from '@twinforge/core';

// Plugins that depend on @twinforge/rl would use its Box and Discrete; this example keeps to @twinforge/core alone.
export class DiscreteSpace implements SpaceLike<number> {
  constructor(readonly n: number) {}
  sample(rng: Rng): number {
    return rng.int(0, this.n - 1);
  }
  contains(value: unknown): boolean {
    return Number.isInteger(value) && (value as number) >= 0 && (value as number) < this.n;
  }
  toJSON() {
    return { type: 'Discrete', n: this.n, start: 0 };
  }
}

export class QueueObservationSpace implements SpaceLike<Float32Array> {
  sample(rng: Rng): Float32Array {
    return rng.fillUniform(new Float32Array(2));
  }
  contains(value: unknown): boolean {
    return value instanceof Float32Array && value.length === 2 && value.every((v) => v >= 0 && v <= 1);
  }
  toJSON() {
    return { type: 'Box', shape: [2], low: 0, high: 1, dtype: 'float32' };
  }
}
