import { TwinforgeError } from '@twinforge/core';

/*
 * The per-MEC resource allocation subproblem of DIRS (seed 004, Eq. 13), solved exactly.
 *
 * For a fixed offloading decision, MEC j minimises over f_j and p_j
 *   Σ_{i→j} φT·(D_i/r_ij + F_i/f_ij) + φE·p_ij·D_i/r_ij,   r_ij = B·log2(1 + p_ij·h_ij/σ²)
 * subject to Σ_{i→j} f_ij ≤ F_j^max (Eq. 6) and p_ij ≤ P_i^max (Eq. 7; a device that offloads does not compute
 * locally, so its transmit power alone meets the budget). The objective separates:
 *  - CPU: min Σ φT·F_i/f_i s.t. Σ f_i ≤ F is convex; its KKT point is f_i = F·√F_i / Σ_k √F_k (constraint tight),
 *    worth φT·(Σ_k √F_k)²/F. With the Table I tasks (equal F_i) this is the equal split.
 *  - Power: each device alone minimises g(p) = (φT + φE·p)/log2(1 + a·p), a = h/σ². g'(p) has the sign of
 *    s(p) = φE·ln(1+ap) − a(φT + φE·p)/(1+ap), which starts at −aφT < 0 and increases (s' > 0), so g is
 *    quasi-convex with one stationary point: with x = 1 + a·p, φE·(x·ln x − x + 1) = a·φT. If that point lies beyond
 *    P^max, the budget binds and p* = P^max.
 */

/** w(x) = x·ln x − x + 1 written in u = ln x: u·e^u − (e^u − 1). Increasing for u > 0, w(0) = 0. */
function w(u: number): number {
  return u * Math.exp(u) - Math.expm1(u);
}

/**
 * The transmit power that minimises φT·T^Tr + φE·E^Tr of one offloading link (Eqs. 1, 2, 9), within (0, maxPowerW].
 * `gainOverNoise` is a = h_ij/σ² (1/W). φE = 0 (pure latency) gives P^max; a = 0 (no link) has no finite optimum and
 * returns P^max too, the caller treats such a link as unusable. φT must be > 0.
 */
export function optimalTxPower(gainOverNoise: number, phiT: number, phiE: number, maxPowerW: number): number {
  const a = gainOverNoise;
  if (!(a >= 0) || !(phiT >= 0) || !(phiE >= 0) || !(maxPowerW > 0) || !Number.isFinite(a + phiT + phiE + maxPowerW)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `optimalTxPower needs finite a >= 0, phiT >= 0, phiE >= 0, maxPowerW > 0; got ${a}, ${phiT}, ${phiE}, ${maxPowerW}`,
    );
  }
  if (phiT === 0) {
    // g(p) = φE·p/log2(1 + a·p) decreases towards p → 0, where the transmission never ends: no optimum exists.
    throw new TwinforgeError('INVALID_ARGUMENT', 'optimalTxPower needs phiT > 0 (with phiT = 0 the optimum is p → 0)');
  }
  if (phiE === 0 || a === 0) return maxPowerW;
  const c = (a * phiT) / phiE;
  const uMax = Math.log1p(a * maxPowerW);
  if (w(uMax) <= c) return maxPowerW;
  // Newton on the convex increasing F(u) = w(u) − c, F'(u) = u·e^u, kept inside a shrinking bracket [lo, hi].
  let lo = 0;
  let hi = uMax;
  let u = c > Math.E ? Math.min(Math.log(c / Math.log(c)), hi) : Math.min(Math.log1p(Math.sqrt(2 * c)), hi);
  for (let it = 0; it < 200; it++) {
    const f = w(u) - c;
    if (f > 0) hi = u;
    else lo = u;
    let next = u - f / (u * Math.exp(u));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - u) <= 1e-15 * Math.max(1, u) || hi - lo <= 1e-15 * Math.max(1, hi)) {
      u = next;
      break;
    }
    u = next;
  }
  return Math.min(Math.expm1(u) / a, maxPowerW);
}

/**
 * The KKT CPU split of one MEC: f_i = F^max·√F_i / Σ_k √F_k over the devices `members` that offload to it; out[i]
 * receives f_i for members and is left alone for the others. Σ f_i = F^max up to rounding, which is trimmed so that
 * Eq. 6 holds exactly in floating point.
 */
export function sqrtShareCpuInto(
  out: Float64Array,
  cycles: ArrayLike<number>,
  members: ArrayLike<number>,
  mecCpuHz: number,
): Float64Array {
  let s = 0;
  for (let k = 0; k < members.length; k++) s += Math.sqrt(cycles[members[k] as number] as number);
  if (members.length === 0) return out;
  let given = 0;
  for (let k = 0; k < members.length; k++) {
    const i = members[k] as number;
    // All-zero tasks: split equally (any split is optimal, the objective does not depend on it).
    const share = s > 0 ? (mecCpuHz * Math.sqrt(cycles[i] as number)) / s : mecCpuHz / members.length;
    out[i] = share;
    given += share;
  }
  trimToCapacity(out, members, mecCpuHz, given);
  return out;
}

/**
 * Rounding can leave Σ_{members} out[i] (summed in member order, as a checker would) a few ulps above the capacity;
 * shave the excess off the largest share until it is not, so Eq. 6 holds exactly in floating point.
 */
export function trimToCapacity(out: Float64Array, members: ArrayLike<number>, capacity: number, sum?: number): void {
  let given = sum ?? sumOver(out, members);
  for (let attempt = 0; attempt < 64 && given > capacity; attempt++) {
    let big = members[0] as number;
    for (let k = 1; k < members.length; k++) {
      const i = members[k] as number;
      if ((out[i] as number) > (out[big] as number)) big = i;
    }
    out[big] = Math.max(0, (out[big] as number) - Math.max((given - capacity) * 2, Number.EPSILON * capacity));
    given = sumOver(out, members);
  }
}

function sumOver(out: Float64Array, members: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < members.length; k++) s += out[members[k] as number] as number;
  return s;
}
