import type { MeshState } from './mesh-state.js';

/**
 * Hop-count shortest paths to the gateway over the links `usable(i, j)` (i sends to j) between live nodes, by
 * breadth-first search from the gateway. Each node's next hop is the usable neighbour one hop closer, ties broken by
 * the stronger mean gain (then the lower id), as a distance-vector protocol with a link-quality tie-break would.
 * Writes next hops into `nextHop` (gateway = s.gw, -1 when cut off) and hop counts into `hops`.
 */
export function shortestPathTree(
  s: MeshState,
  usable: (i: number, j: number) => boolean,
  nextHop: Int32Array,
  hops: Int32Array,
): void {
  const n = s.n;
  hops.fill(-1);
  nextHop.fill(-1);
  hops[s.gw] = 0;
  const queue = new Int32Array(n + 1);
  queue[0] = s.gw;
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const j = queue[head++] as number;
    for (let i = 0; i < n; i++) {
      if (hops[i] !== -1 || s.alive[i] === 0 || !usable(i, j)) continue;
      hops[i] = (hops[j] as number) + 1;
      queue[tail++] = i;
    }
  }
  for (let i = 0; i < n; i++) {
    const h = hops[i] as number;
    if (h <= 0) continue;
    let best = -1;
    let bestGain = -1;
    for (let j = 0; j <= n; j++) {
      if (hops[j] !== h - 1 || !usable(i, j)) continue;
      const g = s.gain[i * s.stride + j] as number;
      if (g > bestGain) {
        best = j;
        bestGain = g;
      }
    }
    nextHop[i] = best;
  }
}

/** Number of nodes whose path (along `nextHop`) runs through each node, the node itself excluded. */
export function descendants(nextHop: Int32Array, gw: number): Int32Array {
  const n = nextHop.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let j = nextHop[i] as number;
    let guard = 0;
    while (j >= 0 && j !== gw && guard++ < n) {
      out[j] = (out[j] as number) + 1;
      j = nextHop[j] as number;
    }
  }
  return out;
}
