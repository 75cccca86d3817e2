/** What the learning-rate schedule reads from the training config. */
export interface LrScheduleConfig {
  readonly lr: number;
  readonly finalLrFraction: number;
  readonly warmupSteps: number;
}

/**
 * The learning rate at `step` (0-based) of a `steps`-long run: a linear ramp from lr/warmupSteps to lr over the first
 * `warmupSteps` steps, times a linear decay from lr to lr·finalLrFraction over the whole run. The ramp exists because
 * Adam's first updates are full-size whatever the gradient scale: the 16×16 U-Net at lr 5e-3 for 12000 steps diverged
 * within its first 1000 steps and never recovered (ε-MSE stalled at 0.186).
 */
export function learningRateAt(config: LrScheduleConfig, step: number, steps: number): number {
  const decay = 1 - (1 - config.finalLrFraction) * (step / Math.max(1, steps - 1));
  const ramp = config.warmupSteps > 0 ? Math.min(1, (step + 1) / config.warmupSteps) : 1;
  return config.lr * decay * ramp;
}
