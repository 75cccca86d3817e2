import type { Rng } from '@twinforge/core';
import type { ConditionValues } from '@twinforge/plugin-gen-diffusion';
import type { Side } from './split.js';

/** Row indices of one redraw of the two real samples. */
export interface RealRedraw {
  readonly reference: number[];
  readonly floor: number[];
}

/**
 * `k` redraws of a reference (test split) and a floor (validation split), each row matched to the jammer count
 * (condition 0) of the corresponding row of `like`, the conditions the generated maps were sampled for. Matching
 * keeps the share of all-floor (0-jammer) maps equal across the sets; unmatched draws let that share alone move the
 * MMD² by about the size of the floor. A class runs out only on tiny datasets; its rows are then reused, and a class
 * the split lacks entirely is filled from the whole split.
 */
export function realRedraws(
  rows: Readonly<Record<Side, readonly number[]>>,
  conditions: readonly ConditionValues[],
  like: readonly ConditionValues[],
  k: number,
  rng: Rng,
): RealRedraw[] {
  return Array.from({ length: k }, (_, d) => ({
    reference: matchedDraw(rows.test, conditions, like, rng.split(`reference-${d}`)),
    floor: matchedDraw(rows.validation, conditions, like, rng.split(`floor-${d}`)),
  }));
}

function matchedDraw(
  pool: readonly number[],
  conditions: readonly ConditionValues[],
  like: readonly ConditionValues[],
  rng: Rng,
): number[] {
  const byCount = new Map<number | null, number[]>();
  for (const i of pool) {
    const c = conditions[i]?.[0] ?? null;
    const list = byCount.get(c) ?? [];
    list.push(i);
    byCount.set(c, list);
  }
  const queues = new Map<number | null, number[]>();
  return like.map((row) => {
    const c = row[0] ?? null;
    const source = byCount.get(c) ?? pool;
    let queue = queues.get(c);
    if (queue === undefined || queue.length === 0) {
      queue = rng.shuffle(source);
      queues.set(c, queue);
    }
    return queue.pop() as number;
  });
}
