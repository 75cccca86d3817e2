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
