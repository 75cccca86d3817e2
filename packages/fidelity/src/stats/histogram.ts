import { TwinforgeError } from '@twinforge/core';

/**
 * Counts of `values` in `bins` equal-width bins over [lo, hi]; values outside are counted in the first or last bin
 * (so both sides of a comparison keep all their mass and out-of-range samples still differ from in-range ones only
 * by where they land).
 */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1)
    throw new TwinforgeError('INVALID_ARGUMENT', `bins must be >= 1, got ${bins}`);
  if (!(hi > lo)) throw new TwinforgeError('INVALID_ARGUMENT', `histogram range needs hi > lo, got [${lo}, ${hi}]`);
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) throw new TwinforgeError('NUMERIC_INVALID', `histogram value ${i} is NaN`);
    const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}
