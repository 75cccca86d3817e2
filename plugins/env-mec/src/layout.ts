import { type Rng, TwinforgeError } from '@twinforge/core';
import { kMeans } from './kmeans.js';
import { type PositionDistribution, samplePositions } from './positions.js';

/** Where devices and MECs stand and the large-scale part of their channel gains; fixed for an environment. */
export interface MecLayout {
  readonly devices: number;
  readonly mecs: number;
  readonly areaM: readonly [number, number];
  /** Interleaved (x, y) per device. */
  readonly devicePositions: Float64Array;
  /** Interleaved (X, Y) per MEC. */
  readonly mecPositions: Float64Array;
  /** β0 / max(d_ij, d_min)², N×M: Eq. 3 without the small-scale fading l_ij. */
  readonly pathGain: Float64Array;
  /** 1-based index of the nearest MEC of each device (the Remote baseline's choice). */
  readonly nearestMec: Int32Array;
}

export interface LayoutOptions {
  readonly devices: number;
  readonly mecs: number;
  readonly areaM: readonly [number, number];
  readonly distribution: PositionDistribution;
  readonly gaussianStdM?: number;
  readonly levyScaleM?: number;
  readonly mecPlacement: 'fixed' | 'kmeans';
  /** For 'fixed'; omitted means the centres of a regular grid of M cells. */
  readonly mecPositions?: readonly (readonly [number, number])[];
  readonly beta0: number;
  readonly minDistanceM: number;
}

/**
 * Draws a layout: device positions from the chosen distribution, then MEC positions either fixed or by k-means over
 * the devices (seed 004 §V: "obtained by the k-means algorithm for all the IoTDs at the first time").
 */
export function buildLayout(opts: LayoutOptions, rng: Rng): MecLayout {
  const { devices: n, mecs: m, areaM } = opts;
  const devicePositions = samplePositions(n, rng.split('devices'), {
    distribution: opts.distribution,
    areaM,
    ...(opts.gaussianStdM === undefined ? {} : { gaussianStdM: opts.gaussianStdM }),
    ...(opts.levyScaleM === undefined ? {} : { levyScaleM: opts.levyScaleM }),
  });
  let mecPositions: Float64Array;
  if (opts.mecPlacement === 'kmeans') {
    if (n < m) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `k-means MEC placement needs at least as many devices (${n}) as MECs (${m})`,
      );
    }
    mecPositions = kMeans(devicePositions, m, rng.split('kmeans')).centers;
  } else if (opts.mecPositions) {
    if (opts.mecPositions.length !== m) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `mecPositions: ${opts.mecPositions.length} positions given for ${m} MECs`,
      );
    }
    mecPositions = Float64Array.from(opts.mecPositions.flat());
  } else {
    mecPositions = gridPositions(m, areaM);
  }
  const pathGain = new Float64Array(n * m);
  const nearestMec = new Int32Array(n);
  const dMin2 = opts.minDistanceM ** 2;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const dx = (devicePositions[2 * i] as number) - (mecPositions[2 * j] as number);
      const dy = (devicePositions[2 * i + 1] as number) - (mecPositions[2 * j + 1] as number);
      const d2 = dx * dx + dy * dy;
      pathGain[i * m + j] = opts.beta0 / Math.max(d2, dMin2);
      if (d2 < bestD) {
        bestD = d2;
        best = j;
      }
    }
    nearestMec[i] = best + 1;
  }
  return { devices: n, mecs: m, areaM, devicePositions, mecPositions, pathGain, nearestMec };
}

/** Centres of the first M cells of a ⌈√M⌉-column grid over the area. */
export function gridPositions(m: number, areaM: readonly [number, number]): Float64Array {
  const cols = Math.ceil(Math.sqrt(m));
  const rows = Math.ceil(m / cols);
  const out = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) {
    out[2 * j] = ((j % cols) + 0.5) * (areaM[0] / cols);
    out[2 * j + 1] = (Math.floor(j / cols) + 0.5) * (areaM[1] / rows);
  }
  return out;
}
