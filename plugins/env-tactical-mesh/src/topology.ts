import type { MeshState } from './mesh-state.js';
import { type RadioModel, REF_DISTANCE_M } from './radio.js';

/**
 * Mean gain of every pair from the current positions: log-distance path gain × shadowing × degradation, symmetric.
 * One log and one exp per pair (the (n+1)²/2 pairs are the O(N²) part of a step). Also refreshes `distGw`.
 */
export function updateGains(s: MeshState, radio: RadioModel): void {
  const { stride, posX, posY, gain, shadow, degrade, distGw, gw } = s;
  for (let i = 0; i < stride; i++) {
    distGw[i] = Math.hypot((posX[i] as number) - (posX[gw] as number), (posY[i] as number) - (posY[gw] as number));
  }
  const logRef = Math.log(radio.refGain);
  const halfN = radio.exponent / 2;
  const d0sq = REF_DISTANCE_M * REF_DISTANCE_M;
  for (let i = 0; i < stride; i++) {
    const xi = posX[i] as number;
    const yi = posY[i] as number;
    gain[i * stride + i] = 0;
    for (let j = i + 1; j < stride; j++) {
      const dx = xi - (posX[j] as number);
      const dy = yi - (posY[j] as number);
      let d2 = (dx * dx + dy * dy) / d0sq;
      if (d2 < 1) d2 = 1;
      const idx = i * stride + j;
      const g = Math.exp(logRef - halfN * Math.log(d2)) * (shadow[idx] as number) * (degrade[idx] as number);
      gain[idx] = g;
      gain[j * stride + i] = g;
    }
  }
}

/** Whether i hears j (and j hears i) at maximum power above the neighbour SNR, both alive. */
export function connected(s: MeshState, radio: RadioModel, i: number, j: number): boolean {
  if (i === j || s.alive[i] === 0 || s.alive[j] === 0) return false;
  return (radio.maxPowerW * (s.gain[i * s.stride + j] as number)) / radio.noiseW >= radio.neighborSnr;
}

/**
 * Hop counts to the gateway by breadth-first search over the connectivity graph (what a distance-vector routing
 * protocol advertises from its HELLO beacons; blind to interference and jamming). Cut-off nodes get -1.
 */
export function updateHopCounts(s: MeshState, radio: RadioModel, frontier: Int32Array): void {
  const { hop, stride, gain, alive } = s;
  const minGain = (radio.neighborSnr * radio.noiseW) / radio.maxPowerW;
  hop.fill(-1);
  hop[s.gw] = 0;
  frontier[0] = s.gw;
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const u = frontier[head++] as number;
    const next = (hop[u] as number) + 1;
    const row = u * stride;
    for (let v = 0; v < s.n; v++) {
      if (hop[v] !== -1 || alive[v] === 0) continue;
      if ((gain[row + v] as number) >= minGain) {
        hop[v] = next;
        frontier[tail++] = v;
      }
    }
  }
}

/**
 * The neighbour table: for every live node, up to `slots` nodes (or the gateway) it hears at maximum power, ranked
 * by hop count to the gateway (cut-off nodes last) and then by gain, so slot 0 is the shortest-path next hop.
 * A bounded insertion keeps the cost at O(candidates × slots) per node.
 */
export function updateNeighborTable(s: MeshState, radio: RadioModel): void {
  const { neighbors, slots, stride, gain, hop, alive } = s;
  const minGain = (radio.neighborSnr * radio.noiseW) / radio.maxPowerW;
  neighbors.fill(-1);
  for (let i = 0; i < s.n; i++) {
    if (alive[i] === 0) continue;
    const base = i * slots;
    let count = 0;
    const row = i * stride;
    for (let j = 0; j < stride; j++) {
      if (j === i || alive[j] === 0) continue;
      const g = gain[row + j] as number;
      if (g < minGain) continue;
      const hj = hop[j] as number;
      const key = hj < 0 ? 1e9 : hj;
      // Find the insertion position among the current entries (ascending key, descending gain).
      let pos = count;
      while (pos > 0) {
        const other = neighbors[base + pos - 1] as number;
        const ho = hop[other] as number;
        const ko = ho < 0 ? 1e9 : ho;
        if (ko < key || (ko === key && (gain[row + other] as number) >= g)) break;
        pos--;
      }
      if (pos >= slots) continue;
      const last = count < slots ? count : slots - 1;
      for (let p = last; p > pos; p--) neighbors[base + p] = neighbors[base + p - 1] as number;
      neighbors[base + pos] = j;
      if (count < slots) count++;
    }
  }
}

/** Slot of node `j` in i's neighbour table, or -1. */
export function slotOf(s: MeshState, i: number, j: number): number {
  const base = i * s.slots;
  for (let m = 0; m < s.slots; m++) if (s.neighbors[base + m] === j) return m;
  return -1;
}
