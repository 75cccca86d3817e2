import { TwinforgeError } from '@twinforge/core';
import { requireLength, requireNonNegative } from './validate.js';

/**
 * Splits a total resource (bandwidth B, CPU F, ...) in proportion to non-negative weights:
 * out[i] = total·w_i/Σw. All-zero weights give all-zero shares. Σout ≤ total (up to rounding, corrected downward)
 * and out ≥ 0, as constraints C4/C5 of seed 002 and Eq. 6 of seed 004 require. Allocates nothing.
 */
export function allocateProportionalInto<A extends Float32Array | Float64Array>(
  out: A,
  total: number,
  weights: ArrayLike<number>,
): A {
  requireNonNegative(total, 'total');
  requireLength(weights, out.length, 'weights');
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += requireNonNegative(weights[i] as number, `weights[${i}]`);
  if (sum === 0 || !Number.isFinite(sum)) {
    if (!Number.isFinite(sum)) throw new TwinforgeError('PHYSICS_INVALID_INPUT', 'weights sum overflows');
    out.fill(0);
    return out;
  }
  let given = 0;
  for (let i = 0; i < out.length; i++) {
    const share = total * ((weights[i] as number) / sum);
    out[i] = share;
    given += out[i] as number; // read back: Float32Array rounds
  }
  trimToTotal(out, total, given);
  return out;
}

/** Equal split of a total among the `active` entries (mask non-zero): out[i] = total/|active| or 0. Allocates nothing. */
export function allocateEqualInto<A extends Float32Array | Float64Array>(
  out: A,
  total: number,
  active: ArrayLike<number>,
): A {
  requireNonNegative(total, 'total');
  requireLength(active, out.length, 'active');
  let n = 0;
  for (let i = 0; i < out.length; i++) if (active[i]) n++;
  const share = n === 0 ? 0 : total / n;
  let given = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = active[i] ? share : 0;
    given += out[i] as number;
  }
  trimToTotal(out, total, given);
  return out;
}

/** Rounding may push a sum of shares a few ulps over the total: trim the largest share until it is not. */
function trimToTotal(out: Float32Array | Float64Array, total: number, given: number): void {
  let excess = given - total;
  for (let attempt = 0; attempt < 256 && given > total; attempt++) {
    let k = 0;
    for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[k] as number)) k = i;
    out[k] = Math.max(0, (out[k] as number) - excess * 2);
    given = 0;
    for (let i = 0; i < out.length; i++) given += out[i] as number;
    excess = Math.max(excess * 2, given - total);
  }
}
