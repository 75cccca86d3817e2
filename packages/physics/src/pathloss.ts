import type { Rng } from '@twinforge/core';
import { SPEED_OF_LIGHT } from './units.js';
import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/**
 * Friis free-space received power: Pr = Pt·Gt·Gr·(λ / (4π d))², λ = c/f. SI: W, Hz, m; gains linear.
 * Valid in the far field; we cap the free-space gain at 1 (Pr ≤ Pt·Gt·Gr) so d < λ/(4π) does not create energy.
 * Source: H. T. Friis (1946); seed 001 uses Friis for the UAV-user rate.
 */
export function friisReceivedPower(
  txPowerW: number,
  frequencyHz: number,
  distanceM: number,
  txGain = 1,
  rxGain = 1,
): number {
  requireNonNegative(txPowerW, 'txPowerW');
  requireNonNegative(txGain, 'txGain');
  requireNonNegative(rxGain, 'rxGain');
  return txPowerW * txGain * rxGain * freeSpaceGain(frequencyHz, distanceM);
}

/** Free-space power gain (λ/(4π d))², capped at 1. d > 0, f > 0. Source: Friis (1946). */
export function freeSpaceGain(frequencyHz: number, distanceM: number): number {
  requirePositive(frequencyHz, 'frequencyHz');
  requirePositive(distanceM, 'distanceM');
  const g = (SPEED_OF_LIGHT / (4 * Math.PI * distanceM * frequencyHz)) ** 2;
  return Math.min(g, 1);
}

/**
 * Free-space path loss in dB: FSPL = 20·log10(d) + 20·log10(f) + 20·log10(4π/c) (uncapped; exact power law, so
 * doubling d or f adds 20·log10 2 ≈ 6.02 dB). Source: Friis (1946).
 */
export function freeSpacePathLossDb(frequencyHz: number, distanceM: number): number {
  requirePositive(frequencyHz, 'frequencyHz');
  requirePositive(distanceM, 'distanceM');
  return 20 * Math.log10(distanceM) + 20 * Math.log10(frequencyHz) + 20 * Math.log10((4 * Math.PI) / SPEED_OF_LIGHT);
}

/**
 * Log-distance path loss in dB: PL(d) = PL(d0) + 10·n·log10(max(d, d0)/d0). Distances below d0 keep PL(d0)
 * (the model is not defined inside the reference distance). Source: Rappaport, Wireless Communications, Eq. 4.68.
 */
export function logDistancePathLossDb(distanceM: number, exponent: number, refDistanceM = 1, refLossDb = 0): number {
  requirePositive(distanceM, 'distanceM');
  requireNonNegative(exponent, 'exponent');
  requirePositive(refDistanceM, 'refDistanceM');
  requireFinite(refLossDb, 'refLossDb');
  const d = Math.max(distanceM, refDistanceM);
  return refLossDb + 10 * exponent * Math.log10(d / refDistanceM);
}

/**
 * DIRS channel gain h = β0·l / d², d² = (X - x)² + (Y - y)² (seed 004, Eq. 3): β0 the gain at the 1 m reference
 * distance, l the small-scale fading factor. d = 0 is undefined and rejected.
 */
export function dirsChannelGain(beta0: number, fading: number, dx: number, dy: number): number {
  requirePositive(beta0, 'beta0');
  requireNonNegative(fading, 'fading');
  requireFinite(dx, 'dx');
  requireFinite(dy, 'dy');
  const d2 = dx * dx + dy * dy;
  requirePositive(d2, 'squared distance');
  return (beta0 * fading) / d2;
}

/** Power-law gain g = β0·d^-θ (SliceOff, seed 002, after Eq. 1). d > 0. */
export function powerLawGain(beta0: number, distanceM: number, exponent: number): number {
  requirePositive(beta0, 'beta0');
  requirePositive(distanceM, 'distanceM');
  requireNonNegative(exponent, 'exponent');
  return beta0 * distanceM ** -exponent;
}

/** A log-normal shadowing draw in dB: X ~ N(0, σ²) dB (linear factor 10^(X/10)). Source: Rappaport Eq. 4.69a. */
export function shadowingDb(rng: Rng, sigmaDb: number): number {
  requireNonNegative(sigmaDb, 'sigmaDb');
  return rng.normal(0, sigmaDb);
}
