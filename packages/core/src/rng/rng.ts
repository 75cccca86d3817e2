import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { TwinforgeError } from '../errors.js';
import { expand32, fmix32, fnv1a32 } from './hash.js';

/** A serialisable position in a stream, for checkpoints: `Rng.fromState(rng.getState())` continues it exactly. */
export interface RngState {
  readonly seed: number;
  readonly path: string;
  readonly words: readonly number[];
}

const TWO_PI = 2 * Math.PI;

/**
 * The one source of randomness in twinforge: a seeded xoroshiro128+ stream (pure-rand).
 *
 * `split(name)` derives an independent child stream from the root seed and the name path alone, not from how much
 * the parent has been consumed, so adding a component never shifts the streams of the others. Splitting the same
 * name twice gives the same stream on purpose: a component named "env" always sees the same randomness.
 *
 * Only integer arithmetic feeds the generator; the float helpers use Math.log/cos/sqrt, which V8 implements
 * with the same fdlibm code on every platform, so sequences are identical across machines.
 */
export class Rng {
  readonly seed: number;
  readonly path: string;
  readonly #gen: JumpableRandomGenerator;

  private constructor(seed: number, path: string, gen: JumpableRandomGenerator) {
    this.seed = seed;
    this.path = path;
    this.#gen = gen;
  }

  /** @internal use createRng */
  static create(seed: number, path = ''): Rng {
    return new Rng(seed, path, xoroshiro128plusFromState(deriveState(seed, path)));
  }

  static fromState(state: RngState): Rng {
    if (!Array.isArray(state.words) || state.words.length !== 4 || !state.words.every(Number.isInteger)) {
      throw new TwinforgeError('RNG_INVALID_SEED', 'RngState.words must be four 32-bit integers');
    }
    return new Rng(checkSeed(state.seed), state.path, xoroshiro128plusFromState(state.words));
  }

  getState(): RngState {
    return { seed: this.seed, path: this.path, words: [...this.#gen.getState()] };
  }

  /** An independent stream for a named component; `a.split('x').split('y')` equals `a.split('x/y')`. */
  split(name: string): Rng {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'Rng.split(name) needs a non-empty name');
    }
    const path = this.path === '' ? name : `${this.path}/${name}`;
    return Rng.create(this.seed, path);
  }

  /** A copy at the current position: both continue with the same values. */
  clone(): Rng {
    return new Rng(this.seed, this.path, this.#gen.clone());
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    return this.#gen.next() >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits, or in [lo, hi) when bounds are given. */
  uniform(lo = 0, hi = 1): number {
    const u = uniformFloat64(this.#gen);
    return lo === 0 && hi === 1 ? u : lo + (hi - lo) * u;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `Rng.int(min, max) needs integers with min <= max, got ${min}, ${max}`,
      );
    }
    return uniformInt(this.#gen, min, max);
  }

  /** Normal draw by Box-Muller (one value per call: no cached spare, so the state is the whole story). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
    const u2 = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate = 1): number {
    if (!(rate > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `exponential rate must be > 0, got ${rate}`);
    return -Math.log(1 - this.uniform()) / rate;
  }

  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new TwinforgeError('INVALID_ARGUMENT', `bernoulli p must be in [0, 1], got ${p}`);
    return this.uniform() < p;
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'Rng.choice needs a non-empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Index drawn with probability proportional to non-negative weights. */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `weights[${i}] must be finite and >= 0, got ${w}`);
      }
      total += w;
    }
    if (!(total > 0)) throw new TwinforgeError('INVALID_ARGUMENT', 'weights must have a positive sum');
    let r = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    return this.shuffleInPlace([...items]);
  }

  shuffleInPlace<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }

  /** Fills `out` with uniform values in [lo, hi); allocates nothing. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo = 0, hi = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * uniformFloat64(this.#gen);
    return out;
  }

  /** Fills `out` with normal values; allocates nothing. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, std = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }
}

/** Creates the root stream for a seed: any safe non-negative integer. */
export function createRng(seed: number): Rng {
  return Rng.create(checkSeed(seed));
}

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new TwinforgeError('RNG_INVALID_SEED', `seed must be a non-negative safe integer, got ${String(seed)}`, {
      details: { seed },
    });
  }
  return seed;
}

/** 128 bits of state from (seed, path); never all-zero, which would freeze xoroshiro. */
function deriveState(seed: number, path: string): number[] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const h = fmix32(fnv1a32(path, fmix32(lo) ^ fmix32(hi + 0x68e31da4)) ^ lo);
  const words = expand32(h ^ fmix32(hi), 4).map((w) => w | 0);
  if (words.every((w) => w === 0)) return xoroshiro128plus(seed).getState() as number[];
  return words;
}
