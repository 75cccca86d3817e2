import {
  dbmToWatts,
  dbToLinear,
  freeSpacePathLossDb,
  rayleighOutageProbability,
  SPEED_OF_LIGHT,
  shannonRate,
  thermalNoiseWatts,
} from '@twinforge/physics';
import type { TacticalMeshConfig } from './config.js';

/** Reference distance of the log-distance model (m); closer pairs keep the loss at 1 m. */
export const REF_DISTANCE_M = 1;

/**
 * The link budget derived once from a config, in SI units: everything the per-step hot loops need as plain numbers.
 * Built from @twinforge/physics: free-space loss at 1 m anchors the log-distance model, kTB·NF gives the noise,
 * Shannon at the SINR threshold gives the rate of the fixed modulation.
 */
export interface RadioModel {
  readonly noiseW: number;
  readonly powerLevelsW: Float64Array;
  readonly maxPowerW: number;
  /** Path gain at the 1 m reference distance (linear). */
  readonly refGain: number;
  readonly exponent: number;
  readonly sinrThreshold: number;
  /** Minimum mean SNR at maximum power for a neighbour (linear). */
  readonly neighborSnr: number;
  readonly carrierSenseW: number;
  /** PHY rate of the fixed modulation, bit/s. */
  readonly phyRate_bps: number;
  /** Air time of one packet at the PHY rate, s. */
  readonly packetAirtime_s: number;
  /** Distance at which the mean SNR at maximum power (no shadowing) falls to the neighbour threshold, m. */
  readonly neighborRange_m: number;
}

export function radioModel(c: TacticalMeshConfig): RadioModel {
  const sinrThreshold = dbToLinear(c.sinrThreshold_dB);
  const phyRate = shannonRate(c.bandwidth_Hz, sinrThreshold);
  const powerLevelsW = Float64Array.from(c.powerLevels_dBm, dbmToWatts);
  const noiseW = thermalNoiseWatts(c.bandwidth_Hz, c.noiseFigure_dB);
  const maxPowerW = powerLevelsW[powerLevelsW.length - 1] as number;
  const refGain = 1 / dbToLinear(freeSpacePathLossDb(c.frequency_Hz, REF_DISTANCE_M));
  // Two-way attempt success exp(-2·γ_th/γ̄) ≥ p  ⇔  γ̄ ≥ 2·γ_th / ln(1/p)  (same SNR both ways without interference)
  const neighborSnr = (2 * sinrThreshold) / Math.log(1 / c.neighborSuccess);
  return {
    noiseW,
    powerLevelsW,
    maxPowerW,
    refGain,
    exponent: c.pathLossExponent,
    sinrThreshold,
    neighborSnr,
    carrierSenseW: dbmToWatts(c.carrierSense_dBm),
    phyRate_bps: phyRate,
    packetAirtime_s: c.packetBits / phyRate,
    neighborRange_m: REF_DISTANCE_M * ((maxPowerW * refGain) / (noiseW * neighborSnr)) ** (1 / c.pathLossExponent),
  };
}

/**
 * Mean path gain without shadowing at distance d: g0·(max(d, d0)/d0)^-n, the linear form of the log-distance model
 * PL(d) = PL(d0) + 10·n·log10(d/d0) with PL(d0) the free-space loss at 1 m (Rappaport Eq. 4.68).
 */
export function pathGain(radio: RadioModel, distanceM: number): number {
  const d = Math.max(distanceM, REF_DISTANCE_M);
  return radio.refGain * (d / REF_DISTANCE_M) ** -radio.exponent;
}

/**
 * Packet success probability of a fixed-rate transmission under Rayleigh block fading: the packet gets through when
 * the instantaneous SINR reaches the threshold, P = exp(-γ_th / γ̄) = 1 - outage (Goldsmith §4.2.3).
 */
export function packetSuccess(radio: RadioModel, meanSinr: number): number {
  return meanSinr > 0 ? Math.exp(-radio.sinrThreshold / meanSinr) : 0;
}

/** Probability that a packet gets through within `attempts` independent attempts of success probability p. */
export function arqSuccess(p: number, attempts: number): number {
  return 1 - (1 - p) ** attempts;
}

/** The same probability through the physics package's outage function (used by tests to pin the fast form). */
export function packetSuccessReference(radio: RadioModel, meanSinr: number): number {
  return 1 - rayleighOutageProbability(meanSinr, radio.sinrThreshold);
}

/** Propagation delay over d metres, s. */
export function propagationDelay(distanceM: number): number {
  return distanceM / SPEED_OF_LIGHT;
}
