import { type Rng, TwinforgeError } from '@twinforge/core';
import { z } from 'zod';

/** Equal-width bins over [lo, hi] (in log space when `log`), for a continuous event parameter. */
export const quantizerSchema = z
  .strictObject({
    lo: z.number(),
    hi: z.number(),
    bins: z.number().int().min(1).max(256),
    log: z.boolean().default(false),
  })
  .refine((q) => q.hi > q.lo && (!q.log || q.lo > 0), { message: 'needs hi > lo (and lo > 0 when log)' });
export type Quantizer = z.output<typeof quantizerSchema>;

const fwd = (q: Quantizer, v: number) => (q.log ? Math.log(v) : v);
const inv = (q: Quantizer, v: number) => (q.log ? Math.exp(v) : v);

/** Bin of a value; values outside [lo, hi] go to the end bins. */
export function toBin(q: Quantizer, v: number): number {
  if (!Number.isFinite(v) || (q.log && v <= 0)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `cannot quantize ${v} (range [${q.lo}, ${q.hi}]${q.log ? ', log' : ''})`,
    );
  }
  const a = fwd(q, q.lo);
  const b = fwd(q, q.hi);
  return Math.min(q.bins - 1, Math.max(0, Math.floor(((fwd(q, v) - a) / (b - a)) * q.bins)));
}

/**
 * A value drawn uniformly inside the bin (log-uniformly for log bins): dequantizing with jitter rather than at the
 * bin centre keeps continuous statistics (e.g. inter-arrival times for the KS test) continuous.
 */
export function fromBin(q: Quantizer, bin: number, rng: Rng): number {
  const a = fwd(q, q.lo);
  const w = (fwd(q, q.hi) - a) / q.bins;
  return inv(q, a + (bin + rng.uniform(0, 1)) * w);
}

/** Quantizer spanning the observed values (a degenerate range is widened by ±1 % or ±1). */
export function fitQuantizer(values: readonly number[], bins: number, log = false): Quantizer {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) {
    lo = log ? 1 : 0;
    hi = log ? 10 : 1;
  }
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.01 || 1;
    lo = log ? lo / 1.01 : lo - pad;
    hi = log ? hi * 1.01 : hi + pad;
  }
  return { lo, hi, bins, log };
}
