/** What the learning-rate schedule reads from the training config. */
export interface LrScheduleConfig {
  readonly lr: number;
  readonly finalLrFraction: number;
  readonly warmupSteps: number;
}

/**
 * The learning rate at `step` (0-based) of a `steps`-long run: a linear ramp from lr/warmupSteps to lr over the first
 * `warmupSteps` steps, times a linear decay from lr to lr·finalLrFraction over the whole run. The ramp is the usual
 * guard for Adam's full-size first updates. It did not make lr 5e-3 usable for the jamming-map U-Nets: with 1000
 * warm-up steps they diverged once the rate passed about 3.5e-3 (16×16) and 4.5e-3 (32×32), as the run without a
 * ramp had (see the plugin README).
 */
export function learningRateAt(config: LrScheduleConfig, step: number, steps: number): number {
  const decay = 1 - (1 - config.finalLrFraction) * (step / Math.max(1, steps - 1));
  const ramp = config.warmupSteps > 0 ? Math.min(1, (step + 1) / config.warmupSteps) : 1;
  return config.lr * decay * ramp;
}
