import type { CoverageProfile } from './coverage-profile.js';

/** Why a transmission ended as it did. */
export type TransmissionResult =
  | 'delivered'
  /** The AP is out of service (a node-fail event). */
  | 'ap-down'
  /** The vehicle has already passed the AP's coverage and will never enter it again. */
  | 'passed'
  /** The vehicle would reach the AP's coverage only after the deadline. */
  | 'no-coverage-in-time'
  /** The vehicle left the coverage before the last bit arrived. */
  | 'left-coverage'
  /** Still transmitting, inside coverage, when the deadline expired. */
  | 'deadline';

export interface TransmissionOutcome {
  result: TransmissionResult;
  delivered: boolean;
  /** Whether a transmission started (the AP is paid for it). */
  started: boolean;
  /** Seconds from task generation to delivery, or to the moment of failure (≤ deadline). */
  latency_s: number;
  /** Seconds waited before the vehicle entered coverage. */
  wait_s: number;
}

/**
 * Seed 001 §IV-A: "When a task is generated, data transmission begins immediately if the vehicle is within an AP's
 * coverage. If outside, the transmission starts upon entering the next AP's coverage; otherwise, it fails", and "a
 * vehicle may leave the coverage of a node during transmission, causing failure". The vehicle is at road position x
 * when the task of `bits` is generated, drives at `speed` towards +x, and the task must be fully delivered within
 * `deadline` seconds through the chosen AP.
 */
export function transmit(
  profile: CoverageProfile,
  up: boolean,
  x: number,
  bits: number,
  speed: number,
  deadline: number,
): TransmissionOutcome {
  if (!up) return fail('ap-down', false, 0, 0);
  if (profile.empty || x > profile.hi) return fail('passed', false, 0, 0);
  const wait = Math.max(0, (profile.lo - x) / speed);
  if (wait > deadline) return fail('no-coverage-in-time', false, deadline, deadline);
  const start = Math.max(x, profile.lo);
  const c0 = profile.cumulative(start);
  const need = c0 + bits * speed; // ∫ r dx needed: bits = (1/v)·∫ r dx
  const total = profile.cumulative(profile.hi);
  if (need > total) {
    const leave = wait + (profile.hi - start) / speed;
    return leave >= deadline ? fail('deadline', true, deadline, wait) : fail('left-coverage', true, leave, wait);
  }
  const done = wait + (profile.positionAt(need) - start) / speed;
  if (done > deadline) return fail('deadline', true, deadline, wait);
  return { result: 'delivered', delivered: true, started: true, latency_s: done, wait_s: wait };
}

function fail(result: TransmissionResult, started: boolean, latency_s: number, wait_s: number): TransmissionOutcome {
  return { result, delivered: false, started, latency_s, wait_s };
}
