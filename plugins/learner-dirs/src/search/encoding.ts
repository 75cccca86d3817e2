import { type MecAllocation, type MecCostModel, trimToCapacity } from '@twinforge/plugin-env-mec';

/**
 * The continuous encoding the swarm and evolution baselines search in: one real x_i ∈ [0, M+1) per device, decoded as
 * a_i = ⌊x_i⌋ (0 = local, j = MEC j). A device decoded onto an unusable link (h = 0 or the MEC down) runs locally,
 * so every particle is a feasible decision. The continuous variables f and p of P0 are not encoded: for every decoded
 * decision the model solves them exactly (Eq. 13), so each particle's fitness is the best P0 value for its decision.
 */
export function decodeInto(out: Int32Array, x: Float64Array, offset: number, model: MecCostModel): Int32Array {
  const m = model.mecs;
  for (let i = 0; i < out.length; i++) {
    let a = Math.floor(x[offset + i] as number);
    if (a < 0) a = 0;
    else if (a > m) a = m;
    out[i] = a > 0 && !model.usable(i, a) ? 0 : a;
  }
  return out;
}

/** x_i = a_i + 0.5: the centre of a decision's cell, to seed a population with a known decision. */
export function encodeInto(x: Float64Array, offset: number, decision: ArrayLike<number>): void {
  for (let i = 0; i < decision.length; i++) x[offset + i] = (decision[i] as number) + 0.5;
}

/**
 * The paper's own solution vector x = [a_1..a_N, f_1..f_N, p_1..p_N] (Eq. 19) decoded into a feasible decision and
 * allocation, for searching P0 with f and p as search variables too ("joint" encoding): a_i = ⌊x_i⌋ as above;
 * x_{N+i} ∈ [0, M+1) scaled to [0, 1] is device i's CPU weight at its MEC (f_ij = F_j·w_i/Σ_{k→j} w_k, weights
 * floored at 1e-3 so no client gets f = 0); x_{2N+i} scaled to [0, 1] is its power fraction (p = max(frac, 1e-3)·P_max).
 * Eqs. 5-7 hold by construction.
 */
export function decodeJointInto(
  decision: Int32Array,
  alloc: MecAllocation,
  x: Float64Array,
  offset: number,
  model: MecCostModel,
): void {
  const n = model.devices;
  const m = model.mecs;
  const inst = model.instance;
  decodeInto(decision, x, offset, model);
  const scale = 1 / (m + 1);
  const total = new Float64Array(m);
  const members: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    alloc.cpuHz[i] = 0;
    alloc.powerW[i] = 0;
    if (a === 0) continue;
    const w = Math.max((x[offset + n + i] as number) * scale, 1e-3);
    alloc.cpuHz[i] = w;
    total[a - 1] = (total[a - 1] as number) + w;
    (members[a - 1] as number[]).push(i);
    alloc.powerW[i] = Math.max((x[offset + 2 * n + i] as number) * scale, 1e-3) * (inst.maxTxPowerW[i] as number);
  }
  for (let j = 0; j < m; j++) {
    const list = members[j] as number[];
    for (const i of list)
      alloc.cpuHz[i] = ((inst.mecCpuHz[j] as number) * (alloc.cpuHz[i] as number)) / (total[j] as number);
    if (list.length > 0) trimToCapacity(alloc.cpuHz, list, inst.mecCpuHz[j] as number);
  }
}
