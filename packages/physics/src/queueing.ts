import { TwinforgeError } from '@twinforge/core';
import { requirePositive } from './validate.js';

/** Steady-state metrics of a single-server queue; times in s, counts in customers. */
export interface QueueMetrics {
  /** Utilisation ρ = λ/μ. */
  readonly rho: number;
  /** Mean number in system L. */
  readonly L: number;
  /** Mean number waiting Lq. */
  readonly Lq: number;
  /** Mean time in system W. */
  readonly W: number;
  /** Mean waiting time Wq. */
  readonly Wq: number;
}

function checkStable(lambda: number, mu: number): number {
  requirePositive(lambda, 'arrivalRate');
  requirePositive(mu, 'serviceRate');
  const rho = lambda / mu;
  if (!(rho < 1)) {
    throw new TwinforgeError(
      'PHYSICS_UNSTABLE',
      `no steady state: rho = λ/μ = ${rho} must be < 1; lower the arrival rate or raise the service rate`,
      {
        details: { lambda, mu, rho },
      },
    );
  }
  return rho;
}

/**
 * M/M/1: ρ = λ/μ, L = ρ/(1-ρ), W = 1/(μ-λ), Wq = ρ/(μ-λ), Lq = ρ²/(1-ρ). Stable exactly when ρ < 1; otherwise
 * throws PHYSICS_UNSTABLE. Source: Kleinrock, Queueing Systems Vol. 1, §3.2.
 */
export function mm1(arrivalRate: number, serviceRate: number): QueueMetrics {
  const rho = checkStable(arrivalRate, serviceRate);
  const W = 1 / (serviceRate - arrivalRate);
  const Wq = rho * W;
  return { rho, L: rho / (1 - rho), Lq: (rho * rho) / (1 - rho), W, Wq };
}

/**
 * M/D/1 (Pollaczek-Khinchine with deterministic service 1/μ): Wq = ρ/(2μ(1-ρ)), W = Wq + 1/μ, Lq = λ·Wq, L = λ·W.
 * Throws PHYSICS_UNSTABLE when ρ ≥ 1. Source: Kleinrock Vol. 1, §5.7.
 */
export function md1(arrivalRate: number, serviceRate: number): QueueMetrics {
  const rho = checkStable(arrivalRate, serviceRate);
  const Wq = rho / (2 * serviceRate * (1 - rho));
  const W = Wq + 1 / serviceRate;
  return { rho, L: arrivalRate * W, Lq: arrivalRate * Wq, W, Wq };
}

/** Whether an M/M/1 (or any G/G/1) queue with these rates has a steady state: ρ = λ/μ < 1. */
export function isStable(arrivalRate: number, serviceRate: number): boolean {
  requirePositive(arrivalRate, 'arrivalRate');
  requirePositive(serviceRate, 'serviceRate');
  return arrivalRate / serviceRate < 1;
}
