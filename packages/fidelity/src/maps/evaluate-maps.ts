import { TwinforgeError } from '@twinforge/core';
import { medianBandwidth, mmd2Rbf } from '../stats/mmd.js';
import { type ConstraintReport, constraintViolations, type MapConstraint } from './constraints.js';
import { type ConditionAccuracy, conditionAccuracy, type HotspotOptions } from './hotspots.js';
import { checkMapSet, type MapSet, sameShape, valueRange } from './map-set.js';
import { memorisation } from './memorisation.js';
import { pixelMarginalDistances } from './pixel-marginals.js';
import { spectrumDistance } from './power-spectrum.js';
import { semivariogramDistance } from './semivariogram.js';

/** A candidate set of maps (generated, or a baseline, or the second real sample) with what it was conditioned on. */
export interface MapCandidate {
  readonly maps: MapSet;
  /** Target hot-spot count per map (e.g. the jammer-count condition), for condition accuracy. */
  readonly targets?: readonly number[];
}

export interface MapFidelityInput {
  /** The reference real maps (held out from training). */
  readonly reference: MapSet;
  /** The training maps, for the memorisation check (optional). */
  readonly training?: MapSet;
  readonly constraints?: readonly MapConstraint[];
  /** Hot-spot detector for condition accuracy; needs `targets` on the candidates. */
  readonly hotspots?: HotspotOptions;
  /** Histogram bins of the per-pixel JS divergence (default 32) and their range (default: the reference's range). */
  readonly bins?: number;
  readonly range?: readonly [number, number];
  /** RBF bandwidth; default the median pairwise distance within the reference (median heuristic). */
  readonly bandwidth?: number;
  /** Memorisation ratio (default 1/3). */
  readonly memorisationRatio?: number;
}

export interface MapScores {
  readonly count: number;
  /** Mean per-pixel JS divergence (bits) and Wasserstein-1 (map units) against the reference. */
  readonly pixelJs: number;
  readonly pixelW1: number;
  /** Biased MMD² (RBF) against the reference. */
  readonly mmd2: number;
  readonly semivariogram: number;
  readonly spectrum: number;
  readonly constraints?: ConstraintReport;
  readonly memorisationRate?: number;
  readonly nearestTraining?: number;
  readonly condition?: ConditionAccuracy;
}

/**
 * Scores one candidate set of maps against the real reference set with every map metric. Call it for a second real
 * sample of the same size to get the real-vs-real floor of each metric (`evaluateMapsAgainstFloor` does both).
 */
export function scoreMaps(input: MapFidelityInput, candidate: MapCandidate, bandwidth: number): MapScores {
  const ref = checkMapSet(input.reference, 'reference maps');
  const maps = checkMapSet(candidate.maps, 'candidate maps');
  sameShape(ref, maps, 'map fidelity');
  const range = input.range ?? valueRange(ref);
  const marg = pixelMarginalDistances(ref, maps, { bins: input.bins ?? 32, range });
  const scores: MapScores = {
    count: maps.maps.length,
    pixelJs: marg.js,
    pixelW1: marg.w1,
    mmd2: mmd2Rbf(ref.maps, maps.maps, { bandwidth }),
    semivariogram: semivariogramDistance(ref, maps),
    spectrum: spectrumDistance(ref, maps),
  };
  const extra: {
    constraints?: ConstraintReport;
    memorisationRate?: number;
    nearestTraining?: number;
    condition?: ConditionAccuracy;
  } = {};
  if (input.constraints) extra.constraints = constraintViolations(maps, input.constraints);
  if (input.training) {
    const mem = memorisation(maps, input.training, { ratio: input.memorisationRatio ?? 1 / 3 });
    extra.memorisationRate = mem.rate;
    extra.nearestTraining = mem.medianNearest;
  }
  if (input.hotspots) {
    if (!candidate.targets) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'condition accuracy needs targets on every candidate set');
    }
    extra.condition = conditionAccuracy(maps, candidate.targets, input.hotspots);
  }
  return { ...scores, ...extra };
}

export interface MapFidelityReport {
  readonly bandwidth: number;
  /** The second real sample against the reference: the floor every metric is compared with. */
  readonly floor: MapScores;
  readonly candidates: Readonly<Record<string, MapScores>>;
  /** candidate MMD² / floor MMD² (the target: ≤ 2). */
  readonly mmdRatio: Readonly<Record<string, number>>;
}

/**
 * Every map metric for several candidate sets (generated, baselines) and for a second real sample (`floor`), all
 * against one reference and one kernel bandwidth. Give the floor sample and the candidates the same size: the
 * biased MMD² of two samples of one distribution is about (2 − 2·E k)/n, so sizes must match for the ratio to mean
 * anything.
 */
export function evaluateMaps(
  input: MapFidelityInput,
  floor: MapCandidate,
  candidates: Readonly<Record<string, MapCandidate>>,
): MapFidelityReport {
  const bandwidth = input.bandwidth ?? medianBandwidth(checkMapSet(input.reference, 'reference maps').maps);
  const floorScores = scoreMaps(input, floor, bandwidth);
  const out: Record<string, MapScores> = {};
  const ratio: Record<string, number> = {};
  for (const [name, c] of Object.entries(candidates)) {
    out[name] = scoreMaps(input, c, bandwidth);
    ratio[name] = floorScores.mmd2 > 0 ? (out[name] as MapScores).mmd2 / floorScores.mmd2 : Number.POSITIVE_INFINITY;
  }
  return { bandwidth, floor: floorScores, candidates: out, mmdRatio: ratio };
}
