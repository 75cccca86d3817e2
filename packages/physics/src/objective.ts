import { TwinforgeError } from '@twinforge/core';
import { requireFinite, requireLength, requireNonNegative, requirePositive } from './validate.js';

/**
 * One DIRS instance (seed 004, §III), as struct-of-arrays over N devices (IoTDs) and M MECs. SI units.
 * `gain` is h_ij row-major N×M (Eq. 3). `noisePowerW` is σ² in Eq. 2: Table I calls it a "noise spectral density"
 * of 1e-12 W/Hz, but Eq. 2 divides p·h by σ² directly, so we read it as the noise power (documented choice).
 */
/** The scalar parameters every DIRS cost shares, for one instance or one device. */
export interface DirsCostParams {
  readonly bandwidthHz: number;
  readonly noisePowerW: number;
  /** κ (effective switched capacitance) and ν of p^E = κ·f^ν. */
  readonly kappa: number;
  readonly nu: number;
  /** φT, φE of Eq. 10. */
  readonly phiT: number;
  readonly phiE: number;
}

export interface DirsInstance extends DirsCostParams {
  readonly devices: number;
  readonly mecs: number;
  /** D_i, bits. */
  readonly dataBits: Float64Array;
  /** F_i, CPU cycles. */
  readonly cycles: Float64Array;
  /** f_i0, local CPU, cycles/s. */
  readonly localCpuHz: Float64Array;
  /** p_ij used when device i offloads (one MEC at most, Eq. 5), W. */
  readonly txPowerW: Float64Array;
  /** h_ij, N×M row-major, linear. */
  readonly gain: Float64Array;
  /** F_j^max, cycles/s. */
  readonly mecCpuHz: Float64Array;
}

/** Checks shapes and scalar ranges of an instance once (the hot path then skips per-element checks). */
export function validateDirsInstance(inst: DirsInstance): DirsInstance {
  const { devices: n, mecs: m } = inst;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 1) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `devices must be an integer >= 0 and mecs >= 1, got ${n}, ${m}`);
  }
  requireLength(inst.dataBits, n, 'dataBits');
  requireLength(inst.cycles, n, 'cycles');
  requireLength(inst.localCpuHz, n, 'localCpuHz');
  requireLength(inst.txPowerW, n, 'txPowerW');
  requireLength(inst.gain, n * m, 'gain');
  requireLength(inst.mecCpuHz, m, 'mecCpuHz');
  for (let i = 0; i < n; i++) {
    requireNonNegative(inst.dataBits[i] as number, `dataBits[${i}]`);
    requireNonNegative(inst.cycles[i] as number, `cycles[${i}]`);
    requirePositive(inst.localCpuHz[i] as number, `localCpuHz[${i}]`);
    requireNonNegative(inst.txPowerW[i] as number, `txPowerW[${i}]`);
  }
  for (let k = 0; k < n * m; k++) requireNonNegative(inst.gain[k] as number, `gain[${k}]`);
  for (let j = 0; j < m; j++) requirePositive(inst.mecCpuHz[j] as number, `mecCpuHz[${j}]`);
  requirePositive(inst.bandwidthHz, 'bandwidthHz');
  requirePositive(inst.noisePowerW, 'noisePowerW');
  requireNonNegative(inst.kappa, 'kappa');
  requireFinite(inst.nu, 'nu');
  requireNonNegative(inst.phiT, 'phiT');
  requireNonNegative(inst.phiE, 'phiE');
  return inst;
}

/** Inputs of one device's cost, for the scalar form. */
export interface DirsDeviceInput extends DirsCostParams {
  readonly dataBits: number;
  readonly cycles: number;
  readonly localCpuHz: number;
  readonly txPowerW: number;
  /** h_ij to the chosen MEC (ignored when local). */
  readonly gain: number;
  /** f_ij granted by the chosen MEC (ignored when local). */
  readonly edgeCpuHz: number;
  readonly offload: boolean;
}

/**
 * Scalar DIRS cost of one device (seed 004 Eqs. 1, 2, 8, 9, 10):
 * offload: T = D/r + F/f_ij, E = p·D/r, r = B·log2(1 + p·h/σ²); local: T = F/f_i0, E = (F/f_i0)·κ·f_i0^ν;
 * Φ_i = φT·T + φE·E. A zero rate gives T = E = +∞ (offloading over a dead link never completes).
 */
export function dirsDeviceCost(d: DirsDeviceInput): { time: number; energy: number; phi: number } {
  requireNonNegative(d.dataBits, 'dataBits');
  requireNonNegative(d.cycles, 'cycles');
  requirePositive(d.localCpuHz, 'localCpuHz');
  requireNonNegative(d.txPowerW, 'txPowerW');
  requireNonNegative(d.gain, 'gain');
  if (d.offload) requirePositive(d.edgeCpuHz, 'edgeCpuHz');
  requirePositive(d.bandwidthHz, 'bandwidthHz');
  requirePositive(d.noisePowerW, 'noisePowerW');
  requireNonNegative(d.kappa, 'kappa');
  requireFinite(d.nu, 'nu');
  requireNonNegative(d.phiT, 'phiT');
  requireNonNegative(d.phiE, 'phiE');
  let time: number;
  let energy: number;
  if (d.offload) {
    const r = (d.bandwidthHz * Math.log1p((d.txPowerW * d.gain) / d.noisePowerW)) / Math.LN2;
    const tTx = d.dataBits / r;
    time = tTx + d.cycles / d.edgeCpuHz;
    energy = d.txPowerW * tTx;
  } else {
    const t = d.cycles / d.localCpuHz;
    time = t;
    energy = t * d.kappa * d.localCpuHz ** d.nu;
  }
  return { time, energy, phi: d.phiT * time + d.phiE * energy };
}

/**
 * Equal-share edge CPU: each MEC j splits F_j^max equally among the devices offloading to it,
 * f_ij = F_j^max / |{i: a_i = j}| (so Σ_i a_ij f_ij = F_j^max, constraint Eq. 6 tight). Decision a_i ∈ {0..M},
 * 0 = local. `counts` is scratch of length ≥ M. Allocates nothing.
 */
export function equalShareEdgeCpuInto(
  out: Float64Array,
  inst: DirsInstance,
  decision: ArrayLike<number>,
  counts: Int32Array,
): Float64Array {
  const n = inst.devices;
  const m = inst.mecs;
  counts.fill(0, 0, m);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a > 0) {
      if (!(a <= m) || !Number.isInteger(a)) {
        throw new TwinforgeError('PHYSICS_INVALID_INPUT', `decision[${i}] must be an integer in 0..${m}, got ${a}`);
      }
      counts[a - 1] = (counts[a - 1] as number) + 1;
    } else if (a !== 0) {
      throw new TwinforgeError('PHYSICS_INVALID_INPUT', `decision[${i}] must be an integer in 0..${m}, got ${a}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    out[i] = a > 0 ? (inst.mecCpuHz[a - 1] as number) / (counts[a - 1] as number) : 0;
  }
  return out;
}

/**
 * The DIRS objective Φ = Σ_i (φT·T_i + φE·E_i) (seed 004, Eq. 11) for a decision a (a_i = 0 local, j ∈ 1..M the
 * MEC) and granted edge CPU f_i (cycles/s, used when a_i > 0). Optional `outTime`/`outEnergy` receive T_i and E_i.
 * Validate the instance once with validateDirsInstance; this loop allocates nothing.
 */
export function dirsObjective(
  inst: DirsInstance,
  decision: ArrayLike<number>,
  edgeCpuHz: ArrayLike<number>,
  outTime?: Float64Array,
  outEnergy?: Float64Array,
): number {
  const n = inst.devices;
  const m = inst.mecs;
  const { dataBits, cycles, localCpuHz, txPowerW, gain, bandwidthHz, kappa, nu, phiT, phiE } = inst;
  const invNoise = 1 / inst.noisePowerW;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    let time: number;
    let energy: number;
    if (a > 0) {
      if (a > m || (a | 0) !== a) badDecision(i, a, m);
      const p = txPowerW[i] as number;
      const r = (bandwidthHz * Math.log1p(p * (gain[i * m + a - 1] as number) * invNoise)) / Math.LN2;
      const tTx = (dataBits[i] as number) / r;
      time = tTx + (cycles[i] as number) / (edgeCpuHz[i] as number);
      energy = p * tTx;
    } else {
      if (a !== 0) badDecision(i, a, m);
      const f = localCpuHz[i] as number;
      time = (cycles[i] as number) / f;
      energy = time * kappa * (nu === 3 ? f * f * f : f ** nu);
    }
    if (outTime) outTime[i] = time;
    if (outEnergy) outEnergy[i] = energy;
    total += phiT * time + phiE * energy;
  }
  return total;
}

function badDecision(i: number, a: number, m: number): never {
  throw new TwinforgeError('PHYSICS_INVALID_INPUT', `decision[${i}] must be an integer in 0..${m}, got ${a}`);
}

/**
 * A reusable evaluator for search baselines and learners: validates the instance once, owns its scratch, and
 * evaluates Φ of a decision with equal-share edge CPU (equalShareEdgeCpuInto then dirsObjective) without allocating.
 *
 * Within one time slot the gains h are fixed while a search tries many decisions, so the per-link transmission time
 * D_i/r_ij and energy p_i·D_i/r_ij (Eqs. 1, 2, 9) and the local costs are tabulated once (N×M) in the constructor;
 * `evaluate` is then O(N + M) table look-ups. Call `refresh()` after changing the instance's arrays in place
 * (e.g. new gains for the next slot). Results equal dirsObjective with equal-share CPU (tested).
 */
export class DirsObjective {
  readonly instance: DirsInstance;
  readonly #counts: Int32Array;
  /** D_i / r_ij, N×M. */
  readonly #txTime: Float64Array;
  /** p_i·D_i / r_ij, N×M. */
  readonly #txEnergy: Float64Array;
  /** φT·D_i/r_ij + φE·p_i·D_i/r_ij, N×M. */
  readonly #txPhi: Float64Array;
  readonly #localTime: Float64Array;
  readonly #localEnergy: Float64Array;
  readonly #localPhi: Float64Array;

  constructor(instance: DirsInstance) {
    this.instance = instance;
    const n = instance.devices;
    const m = instance.mecs;
    this.#counts = new Int32Array(m);
    this.#txTime = new Float64Array(n * m);
    this.#txEnergy = new Float64Array(n * m);
    this.#txPhi = new Float64Array(n * m);
    this.#localTime = new Float64Array(n);
    this.#localEnergy = new Float64Array(n);
    this.#localPhi = new Float64Array(n);
    this.refresh();
  }

  /** Re-validates the instance and rebuilds the per-link tables (after the instance's arrays changed in place). */
  refresh(): void {
    const inst = validateDirsInstance(this.instance);
    const {
      devices: n,
      mecs: m,
      dataBits,
      cycles,
      localCpuHz,
      txPowerW,
      gain,
      bandwidthHz,
      kappa,
      nu,
      phiT,
      phiE,
    } = inst;
    const invNoise = 1 / inst.noisePowerW;
    for (let i = 0; i < n; i++) {
      const p = txPowerW[i] as number;
      for (let j = 0; j < m; j++) {
        const r = (bandwidthHz * Math.log1p(p * (gain[i * m + j] as number) * invNoise)) / Math.LN2;
        const t = (dataBits[i] as number) / r;
        this.#txTime[i * m + j] = t;
        this.#txEnergy[i * m + j] = p * t;
        this.#txPhi[i * m + j] = phiT * t + phiE * p * t;
      }
      const f = localCpuHz[i] as number;
      const t = (cycles[i] as number) / f;
      const e = t * kappa * (nu === 3 ? f * f * f : f ** nu);
      this.#localTime[i] = t;
      this.#localEnergy[i] = e;
      this.#localPhi[i] = phiT * t + phiE * e;
    }
  }

  /** Φ of a decision (a_i = 0 local, j ∈ 1..M), with equal-share edge CPU; optional per-device T_i and E_i. */
  evaluate(decision: ArrayLike<number>, outTime?: Float64Array, outEnergy?: Float64Array): number {
    const inst = this.instance;
    const n = inst.devices;
    const m = inst.mecs;
    requireLength(decision, n, 'decision');
    const counts = this.#counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      if (a > 0) {
        if (a > m || (a | 0) !== a) badDecision(i, a, m);
        counts[a - 1] = (counts[a - 1] as number) + 1;
      } else if (a !== 0) badDecision(i, a, m);
    }
    const { cycles, mecCpuHz, phiT } = inst;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const a = decision[i] as number;
      if (a > 0) {
        const k = i * m + a - 1;
        // f_ij = F_j^max / n_j, so F_i / f_ij = F_i·n_j / F_j^max
        const tExec = ((cycles[i] as number) * (counts[a - 1] as number)) / (mecCpuHz[a - 1] as number);
        total += (this.#txPhi[k] as number) + phiT * tExec;
        if (outTime) outTime[i] = (this.#txTime[k] as number) + tExec;
        if (outEnergy) outEnergy[i] = this.#txEnergy[k] as number;
      } else {
        total += this.#localPhi[i] as number;
        if (outTime) outTime[i] = this.#localTime[i] as number;
        if (outEnergy) outEnergy[i] = this.#localEnergy[i] as number;
      }
    }
    return total;
  }
}
