import { TwinforgeError } from '@twinforge/core';
import { requireNonNegative, requirePositive } from './validate.js';

/** A task waiting at a VM: d bits of input with computing density η cycles/bit (seed 002, task tuple). */
export interface VmTask {
  readonly dataBits: number;
  readonly cyclesPerBit: number;
}

/** VM execution time T^exe = d·η / f_VM (seed 002, Eq. 4). */
export function vmExecutionTime(task: VmTask, vmCpuHz: number): number {
  requireNonNegative(task.dataBits, 'dataBits');
  requireNonNegative(task.cyclesPerBit, 'cyclesPerBit');
  return (task.dataBits * task.cyclesPerBit) / requirePositive(vmCpuHz, 'vmCpuHz');
}

/** VM queueing time T^que = Σ_{k ∈ Q_m} d_k·η_k / f_VM over the tasks already queued (seed 002, Eq. 3). */
export function vmQueueingTime(queue: readonly VmTask[], vmCpuHz: number): number {
  let t = 0;
  for (const task of queue) t += vmExecutionTime(task, vmCpuHz);
  return t;
}

/** SliceOff completion time T = d/r + T^que + T^exe (seed 002, Eqs. 2-5). */
export function sliceOffCompletionTime(
  task: VmTask,
  uplinkRateBps: number,
  queue: readonly VmTask[],
  vmCpuHz: number,
): number {
  requireNonNegative(task.dataBits, 'dataBits');
  const up = task.dataBits / requirePositive(uplinkRateBps, 'uplinkRateBps');
  return up + vmQueueingTime(queue, vmCpuHz) + vmExecutionTime(task, vmCpuHz);
}

/** Timing of one task through a VmFifo: all times in s. */
export interface VmTaskTiming {
  /** Arrival at the VM (after upload). */
  readonly arrival: number;
  /** T^que: time waiting behind earlier tasks. */
  readonly queueTime: number;
  /** T^exe = d·η / f_VM. */
  readonly execTime: number;
  /** arrival + T^que + T^exe. */
  readonly finish: number;
}

/**
 * A FIFO VM queue over time (seed 002: "a VM maintains a task waiting queue"). A task arriving at t waits
 * T^que = max(0, busyUntil - t): with every earlier task still waiting, this is exactly Eq. 3 (the sum of their
 * d_k·η_k / f_VM); tasks already partly served count only their remaining work. Arrivals must be non-decreasing.
 */
export class VmFifo {
  #busyUntil = 0;
  #lastArrival = 0;

  constructor(readonly vmCpuHz: number) {
    requirePositive(vmCpuHz, 'vmCpuHz');
  }

  /** Remaining work in the queue at time t, in seconds of this VM. */
  backlogAt(t: number): number {
    return Math.max(0, this.#busyUntil - requireNonNegative(t, 't'));
  }

  /** Enqueues a task arriving at `arrival` (s, ≥ the previous arrival) and returns its timing. */
  enqueue(task: VmTask, arrival: number): VmTaskTiming {
    requireNonNegative(arrival, 'arrival');
    if (arrival < this.#lastArrival) {
      throw new TwinforgeError(
        'PHYSICS_INVALID_INPUT',
        `arrivals must be non-decreasing: ${arrival} < ${this.#lastArrival}`,
      );
    }
    this.#lastArrival = arrival;
    const queueTime = Math.max(0, this.#busyUntil - arrival);
    const execTime = vmExecutionTime(task, this.vmCpuHz);
    const finish = arrival + queueTime + execTime;
    this.#busyUntil = finish;
    return { arrival, queueTime, execTime, finish };
  }
}
