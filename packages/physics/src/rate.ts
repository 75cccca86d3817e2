import { TwinforgeError } from '@twinforge/core';
import { requireLength, requireNonNegative, requirePositive } from './validate.js';

/** Signal-to-noise ratio γ = p·g / N (linear). N > 0 (W), p ≥ 0 (W), g ≥ 0 (linear gain). */
export function snr(txPowerW: number, gain: number, noisePowerW: number): number {
  requireNonNegative(txPowerW, 'txPowerW');
  requireNonNegative(gain, 'gain');
  requirePositive(noisePowerW, 'noisePowerW');
  return (txPowerW * gain) / noisePowerW;
}

/**
 * Signal-to-interference-plus-noise ratio γ = S / (N + Σ I_k) with received signal S and interferer powers I_k (W).
 * Source: standard; interferers include jammers (see jamming.ts).
 */
export function sinr(signalW: number, noisePowerW: number, interferenceW: ArrayLike<number> = []): number {
  requireNonNegative(signalW, 'signalW');
  requirePositive(noisePowerW, 'noisePowerW');
  let total = noisePowerW;
  for (let k = 0; k < interferenceW.length; k++)
    total += requireNonNegative(interferenceW[k] as number, `interferenceW[${k}]`);
  return signalW / total;
}

/**
 * Shannon rate r = B·log2(1 + γ) in bit/s (seed 004 Eq. 2; seed 002 Eq. 1). B ≥ 0 (Hz), γ ≥ 0 (linear).
 */
export function shannonRate(bandwidthHz: number, snrLinear: number): number {
  requireNonNegative(bandwidthHz, 'bandwidthHz');
  requireNonNegative(snrLinear, 'snr');
  return (bandwidthHz * Math.log1p(snrLinear)) / Math.LN2;
}

/**
 * Rate with noise proportional to bandwidth: r(B) = B·log2(1 + P/(N0·B)), N0 in W/Hz. Increasing in B and bounded
 * by P/(N0·ln 2) as B → ∞ (the wideband limit). B = 0 gives 0.
 */
export function shannonRateWithNoiseDensity(bandwidthHz: number, rxPowerW: number, noiseDensityWPerHz: number): number {
  requireNonNegative(bandwidthHz, 'bandwidthHz');
  requireNonNegative(rxPowerW, 'rxPowerW');
  requirePositive(noiseDensityWPerHz, 'noiseDensityWPerHz');
  if (bandwidthHz === 0) return 0;
  return (bandwidthHz * Math.log1p(rxPowerW / (noiseDensityWPerHz * bandwidthHz))) / Math.LN2;
}

/** The wideband limit P/(N0·ln 2) of shannonRateWithNoiseDensity, bit/s. */
export function widebandRateLimit(rxPowerW: number, noiseDensityWPerHz: number): number {
  requireNonNegative(rxPowerW, 'rxPowerW');
  requirePositive(noiseDensityWPerHz, 'noiseDensityWPerHz');
  return rxPowerW / (noiseDensityWPerHz * Math.LN2);
}

/**
 * Vectorised Shannon rate: out[i] = B·log2(1 + p[i]·g[i]/N). Allocates nothing; returns `out`.
 * Inputs are not re-validated element by element beyond sign checks of the scalars (hot path).
 */
export function shannonRateInto<A extends Float32Array | Float64Array>(
  out: A,
  bandwidthHz: number,
  txPowerW: ArrayLike<number>,
  gain: ArrayLike<number>,
  noisePowerW: number,
): A {
  requireNonNegative(bandwidthHz, 'bandwidthHz');
  requirePositive(noisePowerW, 'noisePowerW');
  const n = out.length;
  requireLength(txPowerW, n, 'txPowerW');
  requireLength(gain, n, 'gain');
  const inv = 1 / noisePowerW;
  for (let i = 0; i < n; i++)
    out[i] = (bandwidthHz * Math.log1p((txPowerW[i] as number) * (gain[i] as number) * inv)) / Math.LN2;
  return out;
}

/**
 * OFDM per-user rates without intra-cell interference (seed 001 case B): each subcarrier k of bandwidth Δf is owned
 * by one user owner[k] (or -1 if idle); r_u = Σ_{k: owner[k]=u} Δf·log2(1 + γ_k). Writes `out` (length = users).
 */
export function ofdmUserRatesInto<A extends Float32Array | Float64Array>(
  out: A,
  subcarrierBandwidthHz: number,
  owner: ArrayLike<number>,
  snrPerSubcarrier: ArrayLike<number>,
): A {
  requireNonNegative(subcarrierBandwidthHz, 'subcarrierBandwidthHz');
  requireLength(snrPerSubcarrier, owner.length, 'snrPerSubcarrier');
  out.fill(0);
  for (let k = 0; k < owner.length; k++) {
    const u = owner[k] as number;
    if (u < 0) continue;
    if (!Number.isInteger(u) || u >= out.length) {
      throw new TwinforgeError(
        'PHYSICS_INVALID_INPUT',
        `owner[${k}] must be -1 or a user index in 0..${out.length - 1}, got ${u}`,
      );
    }
    out[u] =
      (out[u] as number) +
      (subcarrierBandwidthHz * Math.log1p(requireNonNegative(snrPerSubcarrier[k] as number, `snr[${k}]`))) / Math.LN2;
  }
  return out;
}
