import type { MecCostModel } from '@twinforge/plugin-env-mec';

/**
 * The "computational resource is insufficient" rule of the Random and Remote baselines (seed 004 §V-D), which the
 * paper does not quantify. Our reading: a MEC is sufficient for its clients while the √F split grants each of them at
 * least its own local CPU speed, f_ij ≥ f_i0, i.e. offloading never computes slower than the device would.
 * With Table I (F^max = 10 GHz, f_i0 = 1 GHz, equal tasks) a MEC serves at most 10 devices.
 *
 * `admit` keeps, per MEC, the largest prefix of `order` (devices that chose it) that satisfies the rule and sends the
 * rest local. Devices are considered in the given order, so callers decide who yields first.
 */
export function admitByCapacity(model: MecCostModel, decision: Int32Array, order: ArrayLike<number>): Int32Array {
  const inst = model.instance;
  const m = model.mecs;
  const sumSqrt = new Float64Array(m);
  // min over admitted clients of f_i0/√F_i: the rule F_j·√F_i/S ≥ f_i0 for all i ⇔ S ≤ F_j·min_i(√F_i/f_i0)
  const minRatio = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    const a = decision[i] as number;
    if (a === 0) continue;
    if (!model.usable(i, a)) {
      decision[i] = 0;
      continue;
    }
    const s = model.sqrtCycles[i] as number;
    const ratio = s / (inst.localCpuHz[i] as number);
    const newSum = (sumSqrt[a - 1] as number) + s;
    const newMin = Math.min(minRatio[a - 1] as number, ratio);
    if (newSum <= (inst.mecCpuHz[a - 1] as number) * newMin * (1 + 1e-12)) {
      sumSqrt[a - 1] = newSum;
      minRatio[a - 1] = newMin;
    } else decision[i] = 0;
  }
  return decision;
}
