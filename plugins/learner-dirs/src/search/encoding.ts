import type { MecCostModel } from '@twinforge/plugin-env-mec';

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
