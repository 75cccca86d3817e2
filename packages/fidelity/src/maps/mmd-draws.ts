import { TwinforgeError } from '@twinforge/core';
import { mmd2Rbf } from '../stats/mmd.js';
import { checkMapSet, type MapSet, sameShape } from './map-set.js';

/** One redraw of the two real samples: a reference and a second real sample (the floor) of the same size. */
export interface RealDraw {
  readonly reference: MapSet;
  readonly floor: MapSet;
}

export interface MmdRatioOverDraws {
  /** candidate MMD² / floor MMD² for each draw, in draw order. */
  readonly ratios: readonly number[];
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The MMD ratio (candidate MMD² / real-vs-real MMD², both against the same reference) averaged over several
 * redraws of the two real samples. With a few hundred maps one draw is too noisy to judge a "≤ 2× the floor"
 * target: on the mesh jamming maps a second set of real maps scored from 0.4× to 1.5× on single draws (a few
 * dominant map kinds, such as the all-floor map, make the biased MMD² a ratio of heavy-tailed sums). Averaging
 * over draws removes the reference and floor part of that noise; the candidate set's own part remains.
 * Every set must have the candidate's size (the biased MMD² floor scales with 1/n).
 */
export function mmdRatioOverDraws(
  candidate: MapSet,
  draws: readonly RealDraw[],
  options: { readonly bandwidth: number },
): MmdRatioOverDraws {
  checkMapSet(candidate, 'candidate maps');
  if (draws.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'mmdRatioOverDraws needs at least one draw');
  const ratios = draws.map((d, k) => {
    for (const [what, set] of [
      ['reference', d.reference],
      ['floor', d.floor],
    ] as const) {
      checkMapSet(set, `draw ${k} ${what}`);
      sameShape(candidate, set, `draw ${k} ${what}`);
      if (set.maps.length !== candidate.maps.length) {
        throw new TwinforgeError(
          'INVALID_ARGUMENT',
          `draw ${k} ${what} holds ${set.maps.length} maps, the candidate ${candidate.maps.length}; sizes must match`,
        );
      }
    }
    const floor = mmd2Rbf(d.reference.maps, d.floor.maps, options);
    const mmd = mmd2Rbf(d.reference.maps, candidate.maps, options);
    return floor > 0 ? mmd / floor : Number.POSITIVE_INFINITY;
  });
  return {
    ratios,
    mean: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
}
