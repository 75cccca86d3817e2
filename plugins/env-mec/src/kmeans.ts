import { type Rng, TwinforgeError } from '@twinforge/core';

export interface KMeansResult {
  /** Cluster centres as interleaved (x, y). */
  readonly centers: Float64Array;
  /** Cluster of each point. */
  readonly assignment: Int32Array;
  readonly iterations: number;
  /** Σ squared distance of each point to its centre. */
  readonly inertia: number;
}

/**
 * k-means on 2-D points (interleaved x, y): k-means++ seeding, then Lloyd iterations until no point changes cluster.
 * An emptied cluster is re-seeded at the point farthest from its centre, so exactly k centres come back. DIRS places
 * its MECs this way "for all the IoTDs at the first time" (seed 004 §V-C, V-D).
 */
export function kMeans(points: Float64Array, k: number, rng: Rng, maxIterations = 100): KMeansResult {
  const n = points.length / 2;
  if (!Number.isInteger(n)) throw new TwinforgeError('INVALID_ARGUMENT', 'points must hold (x, y) pairs');
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new TwinforgeError('INVALID_ARGUMENT', `k must be an integer in [1, ${n}] (the number of points), got ${k}`);
  }
  const centers = new Float64Array(2 * k);
  const d2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  // k-means++: the first centre uniformly, each next one with probability ∝ squared distance to the nearest centre.
  let c = rng.int(0, n - 1);
  for (let m = 0; m < k; m++) {
    centers[2 * m] = points[2 * c] as number;
    centers[2 * m + 1] = points[2 * c + 1] as number;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = sq(points, i, centers, m);
      if (d < (d2[i] as number)) d2[i] = d;
      total += d2[i] as number;
    }
    if (m + 1 < k) c = total > 0 ? rng.weightedIndex(d2) : rng.int(0, n - 1);
  }
  const assignment = new Int32Array(n).fill(-1);
  const sum = new Float64Array(2 * k);
  const count = new Int32Array(k);
  let iterations = 0;
  let inertia = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let m = 0; m < k; m++) {
        const d = sq(points, i, centers, m);
        if (d < bestD) {
          bestD = d;
          best = m;
        }
      }
      inertia += bestD;
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed++;
      }
    }
    if (changed === 0 && iterations > 0) break;
    sum.fill(0);
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const m = assignment[i] as number;
      sum[2 * m] = (sum[2 * m] as number) + (points[2 * i] as number);
      sum[2 * m + 1] = (sum[2 * m + 1] as number) + (points[2 * i + 1] as number);
      count[m] = (count[m] as number) + 1;
    }
    for (let m = 0; m < k; m++) {
      const cnt = count[m] as number;
      if (cnt > 0) {
        centers[2 * m] = (sum[2 * m] as number) / cnt;
        centers[2 * m + 1] = (sum[2 * m + 1] as number) / cnt;
      } else {
        const far = farthestPoint(points, centers, assignment);
        centers[2 * m] = points[2 * far] as number;
        centers[2 * m + 1] = points[2 * far + 1] as number;
        assignment[far] = m;
      }
    }
  }
  return { centers, assignment, iterations, inertia };
}

function sq(points: Float64Array, i: number, centers: Float64Array, m: number): number {
  const dx = (points[2 * i] as number) - (centers[2 * m] as number);
  const dy = (points[2 * i + 1] as number) - (centers[2 * m + 1] as number);
  return dx * dx + dy * dy;
}

function farthestPoint(points: Float64Array, centers: Float64Array, assignment: Int32Array): number {
  let far = 0;
  let farD = -1;
  for (let i = 0; i < assignment.length; i++) {
    const d = sq(points, i, centers, assignment[i] as number);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  return far;
}
