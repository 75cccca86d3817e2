import { TwinforgeError } from '@twinforge/core';
import { squaredDistance } from '../stats/mmd.js';
import { checkMapSet, type MapSet, sameShape } from './map-set.js';

export interface MemorisationOptions {
  /**
   * A sample counts as memorised when its nearest training map is closer than `ratio` times the second nearest
   * (Carlini et al. 2023's test for extracted training images; default 1/3). Exact duplicates of a training map that
   * itself has a duplicate (d1 = d2 = 0, e.g. the all-floor map of a scenario without jammers) are not flagged: they
   * are a mode of the data, not a copied sample.
   */
  readonly ratio?: number;
}

export interface MemorisationReport {
  /** Share of samples flagged as copies of one training map. */
  readonly rate: number;
  /** Mean and median Euclidean distance to the nearest training map. */
  readonly meanNearest: number;
  readonly medianNearest: number;
}

/**
 * Nearest-neighbour memorisation check of `samples` against the `training` maps. Run it on held-out real maps too:
 * their rate is what an honest generator should match (a generator that copies its training set scores ~1).
 */
export function memorisation(samples: MapSet, training: MapSet, options: MemorisationOptions = {}): MemorisationReport {
  checkMapSet(samples, 'memorisation samples');
  checkMapSet(training, 'memorisation training maps');
  sameShape(samples, training, 'memorisation');
  if (training.maps.length < 2) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'memorisation needs at least two training maps');
  }
  const ratio = options.ratio ?? 1 / 3;
  const nearest = new Float64Array(samples.maps.length);
  let flagged = 0;
  for (const [i, s] of samples.maps.entries()) {
    let d1 = Number.POSITIVE_INFINITY;
    let d2 = Number.POSITIVE_INFINITY;
    for (const t of training.maps) {
      const d = squaredDistance(s, t);
      if (d < d1) {
        d2 = d1;
        d1 = d;
      } else if (d < d2) d2 = d;
    }
    const a = Math.sqrt(d1);
    nearest[i] = a;
    if (a < ratio * Math.sqrt(d2)) flagged++;
  }
  const sorted = Float64Array.from(nearest).sort();
  let mean = 0;
  for (const v of nearest) mean += v;
  return {
    rate: flagged / samples.maps.length,
    meanNearest: mean / nearest.length,
    medianNearest: sorted[Math.floor(sorted.length / 2)] as number,
  };
}
