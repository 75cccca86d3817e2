import { TwinforgeError } from '@twinforge/core';

/**
 * Wasserstein-1 (earth mover's) distance between the empirical distributions of two samples on the real line:
 * ∫ |F_a(x) − F_b(x)| dx, computed exactly over the merged sorted values (sizes may differ). Shifting every value of
 * one sample by c gives exactly |c|.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'Wasserstein-1 needs two non-empty samples');
  }
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  if (Number.isNaN(x[x.length - 1] as number) || Number.isNaN(y[y.length - 1] as number)) {
    throw new TwinforgeError('NUMERIC_INVALID', 'Wasserstein-1 sample contains NaN');
  }
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let prev = Math.min(x[0] as number, y[0] as number);
  let total = 0;
  while (i < x.length || j < y.length) {
    const next =
      j >= y.length || (i < x.length && (x[i] as number) <= (y[j] as number)) ? (x[i] as number) : (y[j] as number);
    total += Math.abs(fa - fb) * (next - prev);
    while (i < x.length && x[i] === next) i++;
    while (j < y.length && y[j] === next) j++;
    fa = i / x.length;
    fb = j / y.length;
    prev = next;
  }
  return total;
}
