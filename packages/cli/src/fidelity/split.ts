import { type Rng, TwinforgeError } from '@twinforge/core';

/**
 * The real-vs-real floor without a second real file: a seeded shuffle of the real rows, the first half (rounded up)
 * the reference every set is scored against, the rest the floor sample (a perfect generator's score).
 */
export function splitHalves(count: number, rng: Rng, what: string): { reference: number[]; floor: number[] } {
  if (count < 2) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `${what}: ${count} real row(s) cannot be split into a reference and a floor half; give at least 2 (or --floor)`,
    );
  }
  const order = Array.from(rng.permutation(count));
  const half = Math.ceil(count / 2);
  return { reference: order.slice(0, half), floor: order.slice(half) };
}

/** `size` of `rows` drawn without replacement (all of them, in order, when there are not more). */
export function subsample(rows: readonly number[], size: number, rng: Rng): number[] {
  if (rows.length <= size) return [...rows];
  const order = rng.permutation(rows.length);
  return Array.from(order.subarray(0, size), (k) => rows[k] as number);
}

/**
 * Indices of the floor and candidate rows cut to one size (the smaller of the two, seeded): the biased MMD² and the
 * other distances of two samples of one distribution shrink with the sample size, so a candidate is only comparable
 * with a floor of its own size.
 */
export function matchSizes(
  floor: readonly number[],
  candidate: readonly number[],
  rng: Rng,
): { floor: number[]; candidate: number[] } {
  const size = Math.min(floor.length, candidate.length);
  return {
    floor: subsample(floor, size, rng.split('floor')),
    candidate: subsample(candidate, size, rng.split('candidate')),
  };
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
