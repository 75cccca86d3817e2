import { trimToCapacity } from './allocation.js';
import type { MecAllocation, MecCostModel } from './cost-model.js';

/** Smallest CPU weight a served device keeps, relative to 1: a zero weight would mean f = 0 and T = ∞. */
export const MIN_CPU_WEIGHT = 1e-3;

/**
 * Turns the allocation parts of the agents' actions into a feasible allocation (the 'policy' allocation mode).
 * Agent j's action is [scores(N), cpuWeights(N), powerFractions(N)], all in [0, 1]; a device served by MEC j takes its
 * weight and power fraction from agent j (the server decides for its clients). Repairs, so that Eqs. 6 and 7 hold for
 * any action in the space:
 *  - f_ij = F_j^max·ŵ_i / Σ_{k→j} ŵ_k with ŵ = max(w, MIN_CPU_WEIGHT), then trimmed so Σ f ≤ F_j^max exactly;
 *  - p_ij = clamp(fraction·P_i^max, minTxPowerW, P_i^max).
 */
export function policyAllocation(
  model: MecCostModel,
  decision: Int32Array,
  actions: readonly Float32Array[],
  minTxPowerW: number,
): MecAllocation {
  const n = model.devices;
  const m = model.mecs;
  const inst = model.instance;
  const cpuHz = new Float64Array(n);
  const powerW = new Float64Array(n);
  const members: number[][] = Array.from({ length: m }, () => []);
  const weight = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a === 0) continue;
    const act = actions[a - 1] as Float32Array;
    const w = Math.max(act[n + i] as number, MIN_CPU_WEIGHT);
    cpuHz[i] = w;
    weight[a - 1] = (weight[a - 1] as number) + w;
    (members[a - 1] as number[]).push(i);
    const pMax = inst.maxTxPowerW[i] as number;
    powerW[i] = Math.min(Math.max((act[2 * n + i] as number) * pMax, Math.min(minTxPowerW, pMax)), pMax);
  }
  for (let j = 0; j < m; j++) {
    const list = members[j] as number[];
    if (list.length === 0) continue;
    const cap = inst.mecCpuHz[j] as number;
    const total = weight[j] as number;
    for (const i of list) cpuHz[i] = (cap * (cpuHz[i] as number)) / total;
    trimToCapacity(cpuHz, list, cap);
  }
  return { cpuHz, powerW };
}

/** The 'equal' allocation: each MEC splits its CPU equally among its devices, which transmit at full power. */
export function equalAllocation(model: MecCostModel, decision: Int32Array): MecAllocation {
  const n = model.devices;
  const m = model.mecs;
  const inst = model.instance;
  const cpuHz = new Float64Array(n);
  const powerW = new Float64Array(n);
  const members: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a === 0) continue;
    (members[a - 1] as number[]).push(i);
    powerW[i] = inst.maxTxPowerW[i] as number;
  }
  for (let j = 0; j < m; j++) {
    const list = members[j] as number[];
    const cap = inst.mecCpuHz[j] as number;
    for (const i of list) cpuHz[i] = cap / list.length;
    if (list.length > 0) trimToCapacity(cpuHz, list, cap);
  }
  return { cpuHz, powerW };
}
