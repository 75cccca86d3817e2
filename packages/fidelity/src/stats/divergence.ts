import { TwinforgeError } from '@twinforge/core';

/** Non-negative weights scaled to sum to 1; throws on a negative or non-finite weight or an all-zero vector. */
export function normalise(weights: ArrayLike<number>, name = 'distribution'): Float64Array {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!Number.isFinite(w) || w < 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${name}[${i}] = ${w}: weights must be finite and >= 0`);
    }
    sum += w;
  }
  if (sum <= 0) throw new TwinforgeError('INVALID_ARGUMENT', `${name} has no mass (all weights are 0)`);
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = (weights[i] as number) / sum;
  return out;
}

/**
 * Jensen-Shannon divergence between two discrete distributions (counts or probabilities, normalised here), in bits:
 * JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = ½ (P + Q). Base-2 logarithms bound it to [0, 1]: 0 for identical
 * distributions, 1 for disjoint supports. Symmetric and finite even where one side has zeros, unlike KL.
 */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) {
    throw new TwinforgeError('INVALID_ARGUMENT', `JS divergence needs equal lengths, got ${p.length} and ${q.length}`);
  }
  const a = normalise(p, 'p');
  const b = normalise(q, 'q');
  let js = 0;
  for (let i = 0; i < a.length; i++) {
    const pi = a[i] as number;
    const qi = b[i] as number;
    const m = 0.5 * (pi + qi);
    // p/m ≤ 2 mathematically; the cap keeps subnormal weights (where m can round to 0) finite.
    if (pi > 0) js += 0.5 * pi * Math.log2(Math.min(2, pi / m));
    if (qi > 0) js += 0.5 * qi * Math.log2(Math.min(2, qi / m));
  }
  // Rounding can leave -1e-17 for identical inputs; the divergence is non-negative and at most 1 bit.
  return Math.min(1, Math.max(0, js));
}
