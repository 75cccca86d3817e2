import { TwinforgeError } from '@twinforge/core';
import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/** Execution time t = F / f: F CPU cycles on a CPU of f cycles/s (seed 004, Eq. 1 second term and Eq. 8). */
export function executionTime(cycles: number, cpuHz: number): number {
  requireNonNegative(cycles, 'cycles');
  return cycles / requirePositive(cpuHz, 'cpuHz');
}

/** Dynamic CPU power p = κ·f^ν (seed 004, after Eq. 7; κ = 1e-27, ν = 3 there). W. */
export function cpuPower(kappa: number, cpuHz: number, nu = 3): number {
  requireNonNegative(kappa, 'kappa');
  requireNonNegative(cpuHz, 'cpuHz');
  requireFinite(nu, 'nu');
  if (nu < 1) throw new TwinforgeError('PHYSICS_INVALID_INPUT', `nu must be >= 1 (seed 004), got ${nu}`);
  return kappa * cpuHz ** nu;
}

/**
 * Local execution energy E = p·t = κ·f^ν·F/f (seed 004, Eq. 9 local term). With ν = 3: E = κ·f²·F, so E·t² = κ·F³.
 */
export function localExecutionEnergy(kappa: number, cpuHz: number, cycles: number, nu = 3): number {
  return cpuPower(kappa, cpuHz, nu) * executionTime(cycles, cpuHz);
}

/** Transmission time D / r (seed 004 Eq. 1 first term; seed 002 Eq. 2). D bits, r bit/s > 0. */
export function transmissionTime(dataBits: number, rateBps: number): number {
  requireNonNegative(dataBits, 'dataBits');
  return dataBits / requirePositive(rateBps, 'rateBps');
}

/** Offloading latency T = D/r + F/f_edge (seed 004, Eq. 1). */
export function offloadLatency(dataBits: number, rateBps: number, cycles: number, edgeCpuHz: number): number {
  return transmissionTime(dataBits, rateBps) + executionTime(cycles, edgeCpuHz);
}

/** Transmit energy E = p·D/r (seed 004, Eq. 9 offloading term). J. */
export function transmitEnergy(txPowerW: number, dataBits: number, rateBps: number): number {
  requireNonNegative(txPowerW, 'txPowerW');
  return txPowerW * transmissionTime(dataBits, rateBps);
}
