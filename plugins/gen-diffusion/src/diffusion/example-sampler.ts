import { type Rng, TwinforgeError } from '@twinforge/core';
import type { TrainConfig } from '../config.js';
import type { ConditionSpec, ConditionValues } from './conditions.js';

/** Rebalancing of training draws over one condition's values: TrainConfig's `balance`. */
export type ConditionBalance = NonNullable<TrainConfig['balance']>;

/**
 * Draws the training map of each batch row. Without a balance, uniformly (the plain DDPM draw). With one, in two
 * stages: a value v of the condition with probability ∝ n_v^(1−power) (n_v maps hold it), then a map uniformly among
 * those. Why: on the mesh jamming maps half the training set is jammer-free all-floor maps, which the model gets right
 * early and which then teach it little, while two- and three-jammer maps (18 %) are where conditioning fails. The
 * conditional target p(x | c) is unchanged by where the draws go; only the unconditional branch of classifier-free
 * guidance learns the reweighted marginal.
 */
export class ExampleSampler {
  /** Map indices per value of the balanced condition and each group's draw weight; absent when draws are uniform. */
  readonly #balanced: { readonly groups: Int32Array[]; readonly weights: Float64Array } | undefined;
  readonly #n: number;

  constructor(conditions: readonly ConditionValues[], specs: readonly ConditionSpec[], balance?: ConditionBalance) {
    this.#n = conditions.length;
    this.#balanced = balance === undefined || balance.power === 0 ? undefined : groupBy(conditions, specs, balance);
  }

  /** Map count and draw probability of each group (values ascending, unknown first), for tests and logs. */
  groupShares(): { sizes: number[]; shares: number[] } {
    if (!this.#balanced) return { sizes: [this.#n], shares: [1] };
    const { groups, weights } = this.#balanced;
    const total = weights.reduce((a, b) => a + b, 0);
    return { sizes: groups.map((g) => g.length), shares: Array.from(weights, (w) => w / total) };
  }

  draw(rng: Rng): number {
    if (!this.#balanced) return rng.int(0, this.#n - 1);
    const g = this.#balanced.groups[rng.weightedIndex(this.#balanced.weights)] as Int32Array;
    return g[rng.int(0, g.length - 1)] as number;
  }
}

/** The maps of each value of the balanced condition, in a fixed order, and their groups' draw weights n_v^(1−power). */
function groupBy(
  conditions: readonly ConditionValues[],
  specs: readonly ConditionSpec[],
  balance: ConditionBalance,
): { groups: Int32Array[]; weights: Float64Array } {
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
  const groups = keys.map((k) => Int32Array.from(byValue.get(k) as number[]));
  return { groups, weights: Float64Array.from(groups, (g) => g.length ** (1 - balance.power)) };
}
