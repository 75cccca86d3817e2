import { TwinforgeError } from '@twinforge/core';
import { type DirsCostParams, type DirsInstance, validateDirsInstance } from '@twinforge/physics';
import { optimalTxPower, sqrtShareCpuInto } from './allocation.js';

/**
 * One time slot of the MEC system (seed 004 §III) as struct-of-arrays over N devices and M MECs, SI units.
 * Same fields as @twinforge/physics' DirsInstance except that the device power is the budget P_i^max of Eq. 7,
 * not a fixed transmit power: the allocation chooses p_ij ≤ P_i^max.
 */
export interface MecInstance extends DirsCostParams {
  readonly devices: number;
  readonly mecs: number;
  readonly dataBits: Float64Array;
  readonly cycles: Float64Array;
  readonly localCpuHz: Float64Array;
  /** P_i^max, W. */
  readonly maxTxPowerW: Float64Array;
  /** h_ij, N×M row-major. */
  readonly gain: Float64Array;
  /** F_j^max, cycles/s. */
  readonly mecCpuHz: Float64Array;
  /** 0 for a MEC that is down (scenario `node-fail`); omitted means all up. */
  readonly mecUp?: Uint8Array;
}

/** The same slot as physics' DirsInstance with per-device transmit powers (for cross-checks with dirsObjective). */
export function toDirsInstance(inst: MecInstance, txPowerW: Float64Array): DirsInstance {
  const { maxTxPowerW: _max, mecUp: _up, ...rest } = inst;
  return { ...rest, txPowerW };
}

/** An explicit solution of Eq. 13 for every MEC: CPU granted and transmit power per device (0 for local devices). */
export interface MecAllocation {
  readonly cpuHz: Float64Array;
  readonly powerW: Float64Array;
}

/**
 * The objective Φ = Σ_i φT·T_i + φE·E_i (Eq. 11) of a decision a (a_i = 0 local, j ∈ 1..M the MEC) with the
 * per-MEC allocation of Eq. 13 solved exactly (see allocation.ts). Built once per slot: optimal link powers,
 * transmission costs and local costs are tabulated (N×M), after which `evaluate` is O(N + M) and allocates nothing,
 * which is what the search baselines and the Lévy flight search need. A link with h = 0, or to a MEC that is down,
 * is unusable: offloading over it costs +∞ (the environment repairs such choices to local execution).
 */
export class MecCostModel {
  readonly instance: MecInstance;
  readonly devices: number;
  readonly mecs: number;
  /** p*_ij, N×M. */
  readonly linkPowerW: Float64Array;
  /** D_i/r_ij at p*_ij, N×M. */
  readonly linkTxTime: Float64Array;
  /** p*_ij·D_i/r_ij, N×M. */
  readonly linkTxEnergy: Float64Array;
  /** φT·T^Tr + φE·E^Tr at p*_ij, N×M (+∞ when unusable). */
  readonly linkTxPhi: Float64Array;
  readonly localTime: Float64Array;
  readonly localEnergy: Float64Array;
  readonly localPhi: Float64Array;
  /** √F_i: the CPU "load" a device adds to its MEC (Σ √F over a MEC gives its execution cost). */
  readonly sqrtCycles: Float64Array;
  /** φT / F_j^max: MEC j's execution cost is execScale_j·(Σ_{i→j} √F_i)². */
  readonly execScale: Float64Array;
  readonly #loads: Float64Array;

  constructor(instance: MecInstance) {
    validateDirsInstance(toDirsInstance(instance, instance.maxTxPowerW));
    if (!(instance.phiT > 0)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `phiT must be > 0 (Eq. 10), got ${instance.phiT}`);
    }
    if (instance.mecUp && instance.mecUp.length !== instance.mecs) {
      throw new TwinforgeError('INVALID_ARGUMENT', `mecUp must have length ${instance.mecs}`);
    }
    this.instance = instance;
    const n = instance.devices;
    const m = instance.mecs;
    this.devices = n;
    this.mecs = m;
    this.linkPowerW = new Float64Array(n * m);
    this.linkTxTime = new Float64Array(n * m);
    this.linkTxEnergy = new Float64Array(n * m);
    this.linkTxPhi = new Float64Array(n * m);
    this.localTime = new Float64Array(n);
    this.localEnergy = new Float64Array(n);
    this.localPhi = new Float64Array(n);
    this.sqrtCycles = new Float64Array(n);
    this.execScale = new Float64Array(m);
    this.#loads = new Float64Array(m);
    this.#tabulate();
  }

  #tabulate(): void {
    const inst = this.instance;
    const { devices: n, mecs: m, dataBits, cycles, localCpuHz, maxTxPowerW, gain, bandwidthHz, kappa, nu } = inst;
    const { phiT, phiE, noisePowerW } = inst;
    for (let i = 0; i < n; i++) {
      const pMax = maxTxPowerW[i] as number;
      for (let j = 0; j < m; j++) {
        const k = i * m + j;
        const a = (gain[k] as number) / noisePowerW;
        const up = inst.mecUp ? inst.mecUp[j] === 1 : true;
        if (a > 0 && up) {
          const p = optimalTxPower(a, phiT, phiE, pMax);
          const t = (dataBits[i] as number) / ((bandwidthHz * Math.log1p(a * p)) / Math.LN2);
          this.linkPowerW[k] = p;
          this.linkTxTime[k] = t;
          this.linkTxEnergy[k] = p * t;
          this.linkTxPhi[k] = phiT * t + phiE * p * t;
        } else {
          this.linkPowerW[k] = 0;
          this.linkTxTime[k] = Number.POSITIVE_INFINITY;
          this.linkTxEnergy[k] = Number.POSITIVE_INFINITY;
          this.linkTxPhi[k] = Number.POSITIVE_INFINITY;
        }
      }
      const f = localCpuHz[i] as number;
      const t = (cycles[i] as number) / f;
      const e = t * kappa * f ** nu;
      this.localTime[i] = t;
      this.localEnergy[i] = e;
      this.localPhi[i] = phiT * t + phiE * e;
      this.sqrtCycles[i] = Math.sqrt(cycles[i] as number);
    }
    for (let j = 0; j < m; j++) this.execScale[j] = phiT / (inst.mecCpuHz[j] as number);
  }

  /** Whether device i can offload to MEC j (1-based j): the link has a gain and the MEC is up. */
  usable(i: number, j: number): boolean {
    return Number.isFinite(this.linkTxPhi[i * this.mecs + j - 1] as number);
  }

  /** Checks a decision's shape and values: integers in 0..M (Eq. 4/5 as one index per device). */
  checkDecision(decision: ArrayLike<number>): void {
    if (decision.length !== this.devices) {
      throw new TwinforgeError('INVALID_ARGUMENT', `decision must have length ${this.devices}, got ${decision.length}`);
    }
    for (let i = 0; i < this.devices; i++) {
      const a = decision[i] as number;
      if (!(Number.isInteger(a) && a >= 0 && a <= this.mecs)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `decision[${i}] must be an integer in 0..${this.mecs}, got ${a}`);
      }
    }
  }

  /** Σ_{i→j} √F_i per MEC into `out` (length M). */
  loadsInto(decision: ArrayLike<number>, out: Float64Array): Float64Array {
    out.fill(0);
    for (let i = 0; i < this.devices; i++) {
      const a = decision[i] as number;
      if (a > 0) out[a - 1] = (out[a - 1] as number) + (this.sqrtCycles[i] as number);
    }
    return out;
  }

  /**
   * Φ of a decision with the optimal allocation. Optional outputs get T_i and E_i per device. Decisions are not
   * validated here (hot path): call checkDecision on untrusted input.
   */
  evaluate(decision: ArrayLike<number>, outTime?: Float64Array, outEnergy?: Float64Array): number {
    const n = this.devices;
    const m = this.mecs;
    const loads = this.loadsInto(decision, this.#loads);
    let total = 0;
    for (let j = 0; j < m; j++) total += (this.execScale[j] as number) * (loads[j] as number) ** 2;
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      if (a > 0) {
        const k = i * m + a - 1;
        total += this.linkTxPhi[k] as number;
        if (outTime) {
          const exec =
            ((this.sqrtCycles[i] as number) * (loads[a - 1] as number)) / (this.instance.mecCpuHz[a - 1] as number);
          outTime[i] = (this.linkTxTime[k] as number) + exec;
        }
        if (outEnergy) outEnergy[i] = this.linkTxEnergy[k] as number;
      } else {
        total += this.localPhi[i] as number;
        if (outTime) outTime[i] = this.localTime[i] as number;
        if (outEnergy) outEnergy[i] = this.localEnergy[i] as number;
      }
    }
    return total;
  }

  /**
   * Change of Φ when device i moves from `from` to `to` (0 = local) under per-MEC loads `loads` (which must be
   * those of the current decision; not updated here). O(1): local search and greedy use it.
   */
  moveDelta(i: number, from: number, to: number, loads: Float64Array): number {
    if (from === to) return 0;
    const m = this.mecs;
    const s = this.sqrtCycles[i] as number;
    let d = 0;
    if (from > 0) {
      const l = loads[from - 1] as number;
      d -= (this.linkTxPhi[i * m + from - 1] as number) + (this.execScale[from - 1] as number) * (l * l - (l - s) ** 2);
    } else d -= this.localPhi[i] as number;
    if (to > 0) {
      const l = loads[to - 1] as number;
      d += (this.linkTxPhi[i * m + to - 1] as number) + (this.execScale[to - 1] as number) * ((l + s) ** 2 - l * l);
    } else d += this.localPhi[i] as number;
    return d;
  }

  /** The explicit Eq. 13 solution for a decision: f_ij by the √F split, p_ij = p*_ij; local devices get 0, 0. */
  allocate(decision: ArrayLike<number>): MecAllocation {
    this.checkDecision(decision);
    const n = this.devices;
    const m = this.mecs;
    const cpuHz = new Float64Array(n);
    const powerW = new Float64Array(n);
    const members: number[][] = Array.from({ length: m }, () => []);
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      if (a > 0) {
        (members[a - 1] as number[]).push(i);
        powerW[i] = this.linkPowerW[i * m + a - 1] as number;
      }
    }
    for (let j = 0; j < m; j++) {
      sqrtShareCpuInto(cpuHz, this.instance.cycles, members[j] as number[], this.instance.mecCpuHz[j] as number);
    }
    return { cpuHz, powerW };
  }

  /**
   * Φ of a decision under an explicit allocation (any f, p), from the model equations (Eqs. 1, 2, 8-11) rather
   * than the tables. It does not check feasibility: see `allocationViolations`.
   */
  evaluateAllocation(
    decision: ArrayLike<number>,
    alloc: MecAllocation,
    outTime?: Float64Array,
    outEnergy?: Float64Array,
  ): number {
    const inst = this.instance;
    const { devices: n, mecs: m, dataBits, cycles, gain, bandwidthHz, noisePowerW, phiT, phiE } = inst;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      let t: number;
      let e: number;
      if (a > 0) {
        const p = alloc.powerW[i] as number;
        const r = (bandwidthHz * Math.log1p((p * (gain[i * m + a - 1] as number)) / noisePowerW)) / Math.LN2;
        const tTx = (dataBits[i] as number) / r;
        const c = cycles[i] as number;
        t = tTx + (c === 0 ? 0 : c / (alloc.cpuHz[i] as number));
        e = p * tTx;
      } else {
        t = this.localTime[i] as number;
        e = this.localEnergy[i] as number;
      }
      if (outTime) outTime[i] = t;
      if (outEnergy) outEnergy[i] = e;
      total += phiT * t + phiE * e;
    }
    return total;
  }

  /**
   * Constraint violations of (decision, allocation), empty when feasible: Eq. 4/5 (one integer choice per device),
   * Eq. 6 (Σ f per MEC ≤ F^max, exactly, summed in device order), Eq. 7 (power budget, including
   * the execution power κ·f_i0^ν of local devices), non-negativity, and offloading only over usable links.
   */
  allocationViolations(decision: ArrayLike<number>, alloc: MecAllocation): string[] {
    const out: string[] = [];
    const inst = this.instance;
    const { devices: n, mecs: m } = inst;
    if (decision.length !== n) return [`decision has length ${decision.length}, expected ${n}`];
    const used = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      if (!(Number.isInteger(a) && a >= 0 && a <= m)) {
        out.push(`decision[${i}] = ${a} is not in 0..${m} (Eq. 5)`);
        continue;
      }
      const f = alloc.cpuHz[i] as number;
      const p = alloc.powerW[i] as number;
      if (!(f >= 0) || !(p >= 0)) out.push(`device ${i}: negative or NaN allocation f = ${f}, p = ${p}`);
      if (a > 0) {
        if (!this.usable(i, a)) out.push(`device ${i} offloads to MEC ${a} over an unusable link`);
        if ((cycles(inst, i) > 0 && !(f > 0)) || !(p > 0)) out.push(`device ${i} offloads with f = ${f}, p = ${p}`);
        if (p > (inst.maxTxPowerW[i] as number)) out.push(`device ${i}: p = ${p} > P_max (Eq. 7)`);
        used[a - 1] = (used[a - 1] as number) + f;
      } else {
        const pe = inst.kappa * (inst.localCpuHz[i] as number) ** inst.nu;
        if (pe > (inst.maxTxPowerW[i] as number)) out.push(`device ${i}: local execution power ${pe} > P_max (Eq. 7)`);
      }
    }
    for (let j = 0; j < m; j++) {
      const cap = inst.mecCpuHz[j] as number;
      if ((used[j] as number) > cap) out.push(`MEC ${j + 1}: Σ f = ${used[j]} > F_max = ${cap} (Eq. 6)`);
    }
    return out;
  }
}

/**
 * Solves Eq. 13 for every MEC from scratch for one decision, touching only the chosen links: N power solves and M
 * √F splits, no N×M tables. This is what each MEC computes online after the vote (Algorithm 1 line 10), so it is what
 * the DIRS inference time includes. Unusable links (h = 0, MEC down) get p = 0 (callers repair them first).
 */
export function solveAllocation(inst: MecInstance, decision: ArrayLike<number>): MecAllocation {
  const { devices: n, mecs: m, gain, noisePowerW, phiT, phiE } = inst;
  const cpuHz = new Float64Array(n);
  const powerW = new Float64Array(n);
  const members: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a <= 0) continue;
    (members[a - 1] as number[]).push(i);
    const g = (gain[i * m + a - 1] as number) / noisePowerW;
    const up = inst.mecUp ? inst.mecUp[a - 1] === 1 : true;
    powerW[i] = g > 0 && up ? optimalTxPower(g, phiT, phiE, inst.maxTxPowerW[i] as number) : 0;
  }
  for (let j = 0; j < m; j++) sqrtShareCpuInto(cpuHz, inst.cycles, members[j] as number[], inst.mecCpuHz[j] as number);
  return { cpuHz, powerW };
}

function cycles(inst: MecInstance, i: number): number {
  return inst.cycles[i] as number;
}
