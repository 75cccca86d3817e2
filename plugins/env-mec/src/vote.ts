import type { MecCostModel } from './cost-model.js';

/**
 * The max-vote ensemble of DIRS (seed 004 §IV-C (5)): agent j scores every device i with a_ij ∈ [0, 1]; device i goes
 * to the MEC whose agent scores it highest, unless every score is below the threshold (0.5 in the paper), in which
 * case it executes locally. Ties go to the lower MEC index, so the vote is deterministic. `scores[j]` holds agent j's
 * N scores from `offset` on. Writes a_i ∈ {0..M} into `out`; Eq. 5 (at most one server) holds by construction.
 */
export function maxVoteInto(
  out: Int32Array,
  scores: readonly ArrayLike<number>[],
  threshold: number,
  offset = 0,
): Int32Array {
  const m = scores.length;
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const s = (scores[j] as ArrayLike<number>)[offset + i] as number;
      if (s > bestScore) {
        bestScore = s;
        best = j + 1;
      }
    }
    out[i] = bestScore >= threshold ? best : 0;
  }
  return out;
}

/**
 * Repairs a decision in place so that it can be executed: a device sent over an unusable link (h = 0 or the MEC is
 * down) executes locally instead. Returns how many devices were moved.
 */
export function repairDecision(decision: Int32Array, model: MecCostModel): number {
  let moved = 0;
  for (let i = 0; i < decision.length; i++) {
    const a = decision[i] as number;
    if (a > 0 && !model.usable(i, a)) {
      decision[i] = 0;
      moved++;
    }
  }
  return moved;
}

/** One-hot per-agent scores for a global decision (a_i = j → agent j scores device i with 1): what centralised
 * policies emit so that the vote reproduces their decision exactly. `width` ≥ N leaves room for allocation parts. */
export function decisionToScores(decision: ArrayLike<number>, mecs: number, width = decision.length): Float32Array[] {
  const out = Array.from({ length: mecs }, () => new Float32Array(width));
  for (let i = 0; i < decision.length; i++) {
    const a = decision[i] as number;
    if (a > 0) (out[a - 1] as Float32Array)[i] = 1;
  }
  return out;
}
