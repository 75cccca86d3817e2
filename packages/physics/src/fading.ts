import type { Rng } from '@twinforge/core';
import { requireNonNegative } from './validate.js';

/**
 * Rayleigh small-scale power gain |h|², h ~ CN(0, 1): exponential with mean 1. Drawn from the core Rng.
 * Source: Goldsmith, Wireless Communications, §3.2.1.
 */
export function rayleighPowerGain(rng: Rng): number {
  return rng.exponential(1);
}

/**
 * Rician power gain |h|² with K-factor K (linear, ≥ 0) and unit mean: h = sqrt(K/(K+1)) + sqrt(1/(K+1))·CN(0,1).
 * K = 0 is Rayleigh. Source: Goldsmith §3.2.1.
 */
export function ricianPowerGain(rng: Rng, kFactor: number): number {
  requireNonNegative(kFactor, 'kFactor');
  const los = Math.sqrt(kFactor / (kFactor + 1));
  const s = Math.sqrt(1 / (2 * (kFactor + 1)));
  const re = los + s * rng.normal();
  const im = s * rng.normal();
  return re * re + im * im;
}

/** Fills `out` with Rayleigh power gains (mean 1); allocates nothing. */
export function fillRayleighPowerGain<A extends Float32Array | Float64Array>(rng: Rng, out: A): A {
  for (let i = 0; i < out.length; i++) out[i] = rng.exponential(1);
  return out;
}

/** Fills `out` with Rician power gains of K-factor K (mean 1); allocates nothing. */
export function fillRicianPowerGain<A extends Float32Array | Float64Array>(rng: Rng, kFactor: number, out: A): A {
  requireNonNegative(kFactor, 'kFactor');
  for (let i = 0; i < out.length; i++) out[i] = ricianPowerGain(rng, kFactor);
  return out;
}
