import type { Rng } from '@twinforge/core';
import type { MecAllocation, MecCostModel } from '@twinforge/plugin-env-mec';

/**
 * A centralised offloading rule: given one slot's cost model (all gains), return a decision a_i ∈ {0..M}
 * (0 = local). The per-MEC allocation of Eq. 13 is then solved exactly by the model, so every rule is compared on
 * its decision alone. Baselines (random, local, remote, greedy, PSO, DE), the Lévy flight search and the exact
 * optimum all implement it.
 */
export interface DecisionPolicy {
  readonly name: string;
  decide(model: MecCostModel, rng: Rng): Int32Array;
}

/** Φ and a copy of the decision: what searches return. */
export interface SearchResult {
  readonly decision: Int32Array;
  /** The objective reached: with the exact allocation, or with `allocation` when the search chose it (joint PSO). */
  readonly phi: number;
  readonly allocation?: MecAllocation;
  /** Objective evaluations spent. */
  readonly evaluations: number;
}
