import { SCENARIO_EVENT_KINDS, type ScenarioEvent, type ScenarioEventKind } from '@twinforge/core';

export type Timeline = readonly ScenarioEvent[];

const K = SCENARIO_EVENT_KINDS.length;
const kindIndex = (kind: ScenarioEventKind): number => SCENARIO_EVENT_KINDS.indexOf(kind);

/** Events per kind over all timelines, in core's SCENARIO_EVENT_KINDS order. */
export function eventKindCounts(timelines: readonly Timeline[]): Float64Array {
  const counts = new Float64Array(K);
  for (const tl of timelines) for (const e of tl) counts[kindIndex(e.kind)] = (counts[kindIndex(e.kind)] as number) + 1;
  return counts;
}

/**
 * Counts of consecutive kind pairs, with a start symbol before each timeline and an end symbol after it, so a
 * one-event timeline and an empty one still say something: a (K + 1) × (K + 1) row-major matrix whose row 0 is
 * START and rows 1..K the kinds, column K the END symbol and columns 0..K−1 the kinds.
 */
export function eventBigramCounts(timelines: readonly Timeline[]): Float64Array {
  const counts = new Float64Array((K + 1) * (K + 1));
  for (const tl of timelines) {
    let prev = 0;
    for (const e of tl) {
      const k = kindIndex(e.kind);
      counts[prev * (K + 1) + k] = (counts[prev * (K + 1) + k] as number) + 1;
      prev = k + 1;
    }
    counts[prev * (K + 1) + K] = (counts[prev * (K + 1) + K] as number) + 1;
  }
  return counts;
}

/** Gaps between consecutive events of each timeline, the first measured from the episode start (t = 0). */
export function interArrivalTimes(timelines: readonly Timeline[]): number[] {
  const out: number[] = [];
  for (const tl of timelines) {
    let prev = 0;
    for (const e of tl) {
      out.push(e.t - prev);
      prev = e.t;
    }
  }
  return out;
}

/**
 * Row-stochastic transition matrix between event kinds: K rows (from a kind), K + 1 columns (to a kind, or END).
 * Rows of kinds never seen are all zero; `rowMass` says how many transitions leave each kind.
 */
export function transitionMatrix(timelines: readonly Timeline[]): { matrix: Float64Array; rowMass: Float64Array } {
  const big = eventBigramCounts(timelines);
  const matrix = new Float64Array(K * (K + 1));
  const rowMass = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j <= K; j++) s += big[(i + 1) * (K + 1) + j] as number;
    rowMass[i] = s;
    if (s === 0) continue;
    for (let j = 0; j <= K; j++) matrix[i * (K + 1) + j] = (big[(i + 1) * (K + 1) + j] as number) / s;
  }
  return { matrix, rowMass };
}

/**
 * L1 distance between the transition matrices of two timeline sets, Σ_i π_i ‖P_i − Q_i‖₁, rows weighted by how
 * often the real set leaves kind i (π), so a rare kind does not dominate. In [0, 2]: 0 for identical transition
 * statistics; a kind the real set has but the generated one never produces counts its whole row as 2.
 */
export function transitionL1(real: readonly Timeline[], generated: readonly Timeline[]): number {
  const a = transitionMatrix(real);
  const b = transitionMatrix(generated);
  let total = 0;
  for (const v of a.rowMass) total += v;
  if (total === 0) return 0;
  let d = 0;
  for (let i = 0; i < K; i++) {
    const w = (a.rowMass[i] as number) / total;
    if (w === 0) continue;
    if (b.rowMass[i] === 0) {
      d += 2 * w;
      continue;
    }
    let row = 0;
    for (let j = 0; j <= K; j++)
      row += Math.abs((a.matrix[i * (K + 1) + j] as number) - (b.matrix[i * (K + 1) + j] as number));
    d += w * row;
  }
  return d;
}
