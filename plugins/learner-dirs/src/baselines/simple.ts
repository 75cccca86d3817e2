import type { Rng } from '@twinforge/core';
import type { MecCostModel } from '@twinforge/plugin-env-mec';
import type { DecisionPolicy } from '../decision-policy.js';
import { admitByCapacity } from './capacity.js';

/** Local execution (seed 004 §V-D "Local"): every device computes its own task. */
export const localPolicy: DecisionPolicy = {
  name: 'local',
  decide: (model) => new Int32Array(model.devices),
};

/**
 * Random offloading (§V-D "Random"): each device picks local or one of the M MECs uniformly; devices that find their
 * MEC's resources insufficient (see admitByCapacity) run locally, in a random order of arrival.
 */
export const randomPolicy: DecisionPolicy = {
  name: 'random',
  decide: (model: MecCostModel, rng: Rng) => {
    const decision = Int32Array.from({ length: model.devices }, () => rng.int(0, model.mecs));
    return admitByCapacity(model, decision, rng.permutation(model.devices));
  },
};

/**
 * All offloading to the nearest MEC (§V-D "Remote"): when a MEC's resources are insufficient, "the IoTDs who need
 * more computing resources execute the task locally": clients are admitted in increasing order of F_i (ties by
 * index), so the largest tasks are the ones sent back. `nearest` is the 1-based nearest MEC of each device (from the
 * layout); a nearest MEC that is unusable this slot means local execution.
 */
export function remotePolicy(nearest: Int32Array): DecisionPolicy {
  return {
    name: 'remote',
    decide: (model: MecCostModel) => {
      const decision = Int32Array.from(nearest);
      const cycles = model.instance.cycles;
      const order = Array.from({ length: model.devices }, (_, i) => i).sort(
        (x, y) => (cycles[x] as number) - (cycles[y] as number) || x - y,
      );
      return admitByCapacity(model, decision, order);
    },
  };
}

/**
 * A greedy rule: devices in decreasing order of their best channel gain each take the option (local or a usable
 * MEC) that raises Φ the least given the choices already made (marginal cost with the exact allocation). One pass,
 * O(N·M); no revisiting.
 */
export const greedyPolicy: DecisionPolicy = {
  name: 'greedy',
  decide: (model: MecCostModel) => {
    const { devices: n, mecs: m } = model;
    const gain = model.instance.gain;
    const best = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let g = 0;
      for (let j = 0; j < m; j++) g = Math.max(g, gain[i * m + j] as number);
      best[i] = g;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (x, y) => (best[y] as number) - (best[x] as number) || x - y,
    );
    const decision = new Int32Array(n);
    const loads = new Float64Array(m);
    for (const i of order) {
      let choice = 0;
      let delta = 0; // staying local adds nothing beyond the local cost already counted
      for (let j = 1; j <= m; j++) {
        if (!model.usable(i, j)) continue;
        const d = model.moveDelta(i, 0, j, loads);
        if (d < delta) {
          delta = d;
          choice = j;
        }
      }
      decision[i] = choice;
      if (choice > 0) loads[choice - 1] = (loads[choice - 1] as number) + (model.sqrtCycles[i] as number);
    }
    return decision;
  },
};
