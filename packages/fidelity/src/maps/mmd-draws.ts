import { TwinforgeError } from '@twinforge/core';
import { RbfMmdTerms } from '../stats/mmd.js';
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
 * Each floor must have the candidate's size (the biased MMD² of two samples scales with 1/n); the reference, which
 * both are compared with, may have any size.
 */
export function mmdRatioOverDraws(
  candidate: MapSet,
  draws: readonly RealDraw[],
  options: { readonly bandwidth: number },
): MmdRatioOverDraws {
  return mmdRatiosOverDraws({ candidate }, draws, options).candidate as MmdRatioOverDraws;
}

/**
 * {@link mmdRatioOverDraws} for several candidates at once: each draw's floor MMD² and every set's self-kernel are
 * computed once, not once per candidate (with 4 candidates and 5 draws, 39 O(n²) kernel passes instead of 120).
 */
export function mmdRatiosOverDraws<K extends string>(
  candidates: Readonly<Record<K, MapSet>>,
  draws: readonly RealDraw[],
  options: { readonly bandwidth: number },
): Record<K, MmdRatioOverDraws> {
  const entries = Object.entries(candidates) as [K, MapSet][];
  if (entries.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'mmdRatiosOverDraws needs a candidate');
  if (draws.length === 0)
    throw new TwinforgeError('INVALID_ARGUMENT', 'an MMD ratio over draws needs at least one draw');
  const [, first] = entries[0] as [K, MapSet];
  for (const [name, c] of entries) {
    sameSize(first, c, `candidate '${name}'`);
  }
  for (const [k, d] of draws.entries()) {
    checkMapSet(d.reference, `draw ${k} reference`);
    sameShape(first, d.reference, `draw ${k} reference`);
    sameSize(first, d.floor, `draw ${k} floor`);
  }
  const terms = new RbfMmdTerms(options);
  const ratios = entries.map(() => [] as number[]);
  for (const d of draws) {
    const floor = terms.mmd2(d.reference.maps, d.floor.maps);
    for (const [i, [, c]] of entries.entries()) {
      const mmd = terms.mmd2(d.reference.maps, c.maps);
      (ratios[i] as number[]).push(floor > 0 ? mmd / floor : Number.POSITIVE_INFINITY);
    }
  }
  const out = {} as Record<K, MmdRatioOverDraws>;
  for (const [i, [name]] of entries.entries()) {
    const r = ratios[i] as number[];
    out[name] = { ratios: r, mean: r.reduce((a, b) => a + b, 0) / r.length, min: Math.min(...r), max: Math.max(...r) };
  }
  return out;
}

/** Checks `set` and that it has the shape and map count of `like` (the biased MMD² floor scales with 1/n). */
function sameSize(like: MapSet, set: MapSet, what: string): void {
  checkMapSet(set, what);
  sameShape(like, set, what);
  if (set.maps.length !== like.maps.length) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `${what} holds ${set.maps.length} maps, the candidate ${like.maps.length}; sizes must match`,
    );
  }
}
