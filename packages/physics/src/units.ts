import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/** Thermal noise power spectral density at 290 K, in dBm/Hz (kT ≈ -173.98 dBm/Hz, rounded as used in seed 001). */
export const THERMAL_NOISE_DBM_PER_HZ = -174;

/** Speed of light in vacuum, m/s. */
export const SPEED_OF_LIGHT = 299_792_458;

/** Decibels to a linear power ratio: x = 10^(dB/10). */
export function dbToLinear(db: number): number {
  return 10 ** (requireFinite(db, 'db') / 10);
}

/** Linear power ratio to decibels: dB = 10·log10(x), x > 0. */
export function linearToDb(x: number): number {
  return 10 * Math.log10(requirePositive(x, 'ratio'));
}

/** dBm to watts: P = 10^((dBm - 30)/10). */
export function dbmToWatts(dbm: number): number {
  return 10 ** ((requireFinite(dbm, 'dbm') - 30) / 10);
}

/** Watts to dBm: dBm = 10·log10(P) + 30, P > 0. */
export function wattsToDbm(watts: number): number {
  return 10 * Math.log10(requirePositive(watts, 'watts')) + 30;
}

/**
 * Thermal noise power in dBm over a bandwidth: N = -174 dBm/Hz + 10·log10(B) + NF.
 * Source: standard kTB at 290 K; the -174 dBm/Hz density is the one of seed 001 (DT-RL UAV case).
 */
export function thermalNoiseDbm(
  bandwidthHz: number,
  noiseFigureDb = 0,
  densityDbmPerHz = THERMAL_NOISE_DBM_PER_HZ,
): number {
  requirePositive(bandwidthHz, 'bandwidthHz');
  requireNonNegative(noiseFigureDb, 'noiseFigureDb');
  requireFinite(densityDbmPerHz, 'densityDbmPerHz');
  return densityDbmPerHz + 10 * Math.log10(bandwidthHz) + noiseFigureDb;
}

/** Thermal noise power in watts: N = 10^((-174 + 10·log10(B) + NF - 30)/10). */
export function thermalNoiseWatts(
  bandwidthHz: number,
  noiseFigureDb = 0,
  densityDbmPerHz = THERMAL_NOISE_DBM_PER_HZ,
): number {
  return dbmToWatts(thermalNoiseDbm(bandwidthHz, noiseFigureDb, densityDbmPerHz));
}
