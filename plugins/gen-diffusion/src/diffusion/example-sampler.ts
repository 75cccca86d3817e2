import { type Rng, TwinforgeError } from '@twinforge/core';
import type { ConditionSpec, ConditionValues } from './conditions.js';

/** Rebalancing of training draws over one condition's values (see ExampleSampler). */
export interface ConditionBalance {
  /** The condition whose values are rebalanced, by its spec name (e.g. 'jammers'). */
  readonly condition: string;
  /** 0: every map equally likely (no rebalancing); 1: every value of the condition equally likely. */
  readonly power: number;
}

/**
 * Draws the training map of each batch row. Without a balance, uniformly (the plain DDPM draw). With one, in two
 * stages: a value v of the condition with probability ∝ n_v^(1−power) (n_v maps hold it), then a map uniformly among
 * those. Why: on the mesh jamming maps half the training set is jammer-free all-floor maps, which the model gets right
 * early and which then teach it little, while two- and three-jammer maps (18 %) are where conditioning fails. The
 * conditional target p(x | c) is unchanged by where the draws go; only the unconditional branch of classifier-free
 * guidance learns the reweighted marginal.
 */
export class ExampleSampler {
  readonly #groups: Int32Array[] | undefined;
  readonly #weights: Float64Array | undefined;
  readonly #n: number;

  constructor(conditions: readonly ConditionValues[], specs: readonly ConditionSpec[], balance?: ConditionBalance) {
    this.#n = conditions.length;
    if (balance === undefined || balance.power === 0) return;
    const index = specs.findIndex((s) => s.name === balance.condition);
    if (index < 0) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `balance.condition '${balance.condition}' is not one of the model's conditions (${specs.map((s) => s.name).join(', ') || 'none'})`,
      );
    }
    // Maps with the condition unknown (null) form a group of their own.
    const byValue = new Map<number | null, number[]>();
    conditions.forEach((row, i) => {
      const v = row[index] ?? null;
      let list = byValue.get(v);
      if (!list) {
        list = [];
        byValue.set(v, list);
      }
      list.push(i);
    });
    const keys = [...byValue.keys()].sort((a, b) => (a ?? -1) - (b ?? -1)); // a fixed order, for determinism
    this.#groups = keys.map((k) => Int32Array.from(byValue.get(k) as number[]));
    this.#weights = Float64Array.from(this.#groups, (g) => g.length ** (1 - balance.power));
  }

  /** Map count and draw probability of each group (values ascending, unknown first), for tests and logs. */
  groupShares(): { sizes: number[]; shares: number[] } {
    if (!this.#groups || !this.#weights) return { sizes: [this.#n], shares: [1] };
    const total = this.#weights.reduce((a, b) => a + b, 0);
    return { sizes: this.#groups.map((g) => g.length), shares: Array.from(this.#weights, (w) => w / total) };
  }

  draw(rng: Rng): number {
    if (!this.#groups || !this.#weights) return rng.int(0, this.#n - 1);
    const g = this.#groups[rng.weightedIndex(this.#weights)] as Int32Array;
    return g[rng.int(0, g.length - 1)] as number;
  }
}
