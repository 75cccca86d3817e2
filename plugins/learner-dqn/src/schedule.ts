/**
 * Linear interpolation from `initial` at step 0 to `final` at `steps`, constant after: SB3's get_linear_fn, written
 * in absolute env steps (SB3's exploration_fraction × total_timesteps) so it does not depend on a run length.
 */
export function linearSchedule(initial: number, final: number, steps: number, step: number): number {
  if (step >= steps) return final;
  return initial + ((final - initial) * Math.max(0, step)) / steps;
}
