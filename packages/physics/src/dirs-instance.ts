import type { Rng } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import type { DirsInstance } from './objective.js';
import { validateDirsInstance } from './objective.js';
import type { DirsPreset } from './presets.js';
import { DIRS_TABLE_I } from './presets.js';

export interface DirsInstanceOptions {
  readonly devices: number;
  readonly mecs: number;
  readonly rng: Rng;
  readonly preset?: DirsPreset;
  readonly phiT?: number;
  readonly phiE?: number;
  /** Minimum device-MEC distance, m, so that h = β0·l/d² stays finite (default 1 m, the reference distance). */
  readonly minDistanceM?: number;
}

/**
 * Samples a DIRS instance (seed 004 §III): devices and MECs uniform in the preset area, Rayleigh fading l ~ Exp(1),
 * h_ij = β0·l_ij / max(d_ij, d_min)² (Eq. 3), Table I task and device parameters, p = P_max.
 */
export function sampleDirsInstance(opts: DirsInstanceOptions): DirsInstance {
  const p = opts.preset ?? DIRS_TABLE_I;
  const { devices: n, mecs: m, rng } = opts;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 1) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `devices >= 0 and mecs >= 1 must be integers, got ${n}, ${m}`);
  }
  const dMin = opts.minDistanceM ?? 1;
  const [w, h] = p.areaM;
  const mx = new Float64Array(m);
  const my = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    mx[j] = rng.uniform(0, w);
    my[j] = rng.uniform(0, h);
  }
  const gain = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(0, w);
    const y = rng.uniform(0, h);
    for (let j = 0; j < m; j++) {
      const d2 = Math.max((x - (mx[j] as number)) ** 2 + (y - (my[j] as number)) ** 2, dMin * dMin);
      gain[i * m + j] = (p.assumed.beta0 * rng.exponential(1)) / d2;
    }
  }
  return validateDirsInstance({
    devices: n,
    mecs: m,
    dataBits: new Float64Array(n).fill(p.dataBits),
    cycles: new Float64Array(n).fill(p.cycles),
    localCpuHz: new Float64Array(n).fill(p.localCpuHz),
    txPowerW: new Float64Array(n).fill(p.maxTxPowerW),
    gain,
    mecCpuHz: new Float64Array(m).fill(p.assumed.mecCpuHz),
    bandwidthHz: p.bandwidthHz,
    noisePowerW: p.noisePowerW,
    kappa: p.kappa,
    nu: p.nu,
    phiT: opts.phiT ?? 1,
    phiE: opts.phiE ?? 1,
  });
}
