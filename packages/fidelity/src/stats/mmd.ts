import { TwinforgeError } from '@twinforge/core';

/** Squared Euclidean distance between two equal-length vectors. */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = (a[k] as number) - (b[k] as number);
    s += d * d;
  }
  return s;
}

function checkSet(xs: readonly ArrayLike<number>[], name: string): number {
  if (xs.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', `${name} is empty`);
  const dim = (xs[0] as ArrayLike<number>).length;
  for (const [i, x] of xs.entries()) {
    if (x.length !== dim) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${name}[${i}] has ${x.length} values, expected ${dim}`);
    }
  }
  return dim;
}

/**
 * Median heuristic for the RBF bandwidth: σ = median pairwise Euclidean distance within `xs` (distinct pairs; zero
 * distances are skipped so that repeated samples do not collapse σ). Falls back to 1 when every pair is identical.
 */
export function medianBandwidth(xs: readonly ArrayLike<number>[]): number {
  checkSet(xs, 'bandwidth sample');
  const d: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const v = squaredDistance(xs[i] as ArrayLike<number>, xs[j] as ArrayLike<number>);
      if (v > 0) d.push(v);
    }
  }
  if (d.length === 0) return 1;
  d.sort((a, b) => a - b);
  return Math.sqrt(d[Math.floor(d.length / 2)] as number);
}

export interface MmdOptions {
  /** RBF bandwidth σ in k(x, y) = exp(−‖x − y‖² / (2σ²)). */
  readonly bandwidth: number;
  /**
   * 'biased' (default): the V-statistic mean k(X,X) + mean k(Y,Y) − 2 mean k(X,Y), ≥ 0, zero only for equal sets;
   * with equal sample sizes its expectation under P = Q is a positive finite-sample floor, which is what the
   * real-vs-real comparison measures. 'unbiased': the U-statistic (diagonals excluded), zero-mean under P = Q.
   */
  readonly estimator?: 'biased' | 'unbiased';
}

function meanKernel(
  xs: readonly ArrayLike<number>[],
  ys: readonly ArrayLike<number>[],
  g: number,
  same: boolean,
  skipDiag: boolean,
): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = same ? i : 0; j < ys.length; j++) {
      if (same && i === j) {
        if (!skipDiag) {
          s += 1;
          n += 1;
        }
        continue;
      }
      const k = Math.exp(-g * squaredDistance(xs[i] as ArrayLike<number>, ys[j] as ArrayLike<number>));
      // Off-diagonal pairs of a set with itself stand for (i, j) and (j, i).
      s += same ? 2 * k : k;
      n += same ? 2 : 1;
    }
  }
  return s / n;
}

function checkOptions(options: MmdOptions): number {
  if (!(options.bandwidth > 0) || !Number.isFinite(options.bandwidth)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `MMD bandwidth must be a positive number, got ${options.bandwidth}`);
  }
  return 1 / (2 * options.bandwidth * options.bandwidth);
}

/**
 * The three mean-kernel terms of MMD² kept apart, so that a set compared with many others pays for its self-kernel
 * once (the O(n²) self-kernel is a third of each MMD² evaluation). Self-kernels are memoised per set object, so a
 * set must not change while an instance is in use.
 */
export class RbfMmdTerms {
  readonly #g: number;
  readonly #unbiased: boolean;
  readonly #self = new Map<readonly ArrayLike<number>[], number>();
  #dim: number | undefined;

  constructor(options: MmdOptions) {
    this.#g = checkOptions(options);
    this.#unbiased = options.estimator === 'unbiased';
  }

  /** MMD² between `xs` and `ys` (see {@link mmd2Rbf}); the self-kernel of a set already seen is reused. */
  mmd2(xs: readonly ArrayLike<number>[], ys: readonly ArrayLike<number>[]): number {
    this.#check(xs, 'MMD first set');
    this.#check(ys, 'MMD second set');
    const v = this.#selfKernel(xs) + this.#selfKernel(ys) - 2 * meanKernel(xs, ys, this.#g, false, false);
    return this.#unbiased ? v : Math.max(0, v);
  }

  #check(xs: readonly ArrayLike<number>[], name: string): void {
    const d = checkSet(xs, name);
    this.#dim ??= d;
    if (d !== this.#dim) throw new TwinforgeError('INVALID_ARGUMENT', `MMD sets have dimensions ${this.#dim} and ${d}`);
    if (this.#unbiased && xs.length < 2) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'the unbiased MMD estimator needs at least two samples per set');
    }
  }

  #selfKernel(xs: readonly ArrayLike<number>[]): number {
    let k = this.#self.get(xs);
    if (k === undefined) {
      k = meanKernel(xs, xs, this.#g, true, this.#unbiased);
      this.#self.set(xs, k);
    }
    return k;
  }
}

/** Squared maximum mean discrepancy with an RBF kernel between two sets of equal-length vectors. */
export function mmd2Rbf(
  xs: readonly ArrayLike<number>[],
  ys: readonly ArrayLike<number>[],
  options: MmdOptions,
): number {
  return new RbfMmdTerms(options).mmd2(xs, ys);
}
