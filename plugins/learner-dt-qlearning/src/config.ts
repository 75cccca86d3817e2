import { z } from 'zod';

export const dtQLearningConfigSchema = z.strictObject({
  /**
   * n, the actions evaluated per state: the physical agent's own (ε-greedy) action plus n − 1 other actions tried at
   * the same state in n − 1 different domains forked from the identical domain. n = 1 is physical Q-learning.
   */
  trials: z.number().int().min(1).default(1),
  /**
   * k, the prediction length: each evaluated action's target is the k-step return predicted in its domain (the action,
   * then k − 1 greedy steps) plus γ^k·max Q at the predicted state. k = 1 is the one-step Q-learning target.
   */
  predictionSteps: z.number().int().min(1).default(1),
  /** Independent look-aheads averaged per target when k > 1 (seed 001: the average over trajectories). */
  predictionRollouts: z.number().int().min(1).default(1),
  /** Learning rate α of the tabular update. */
  alpha: z.number().gt(0).max(1).default(0.05),
  /** Discount γ. */
  gamma: z.number().min(0).max(1).default(0.9),
  /** ε-greedy exploration of the physical agent: ε_e = max(end, start · decay^e) at episode e. */
  epsilon: z
    .strictObject({
      start: z.number().min(0).max(1).default(1),
      end: z.number().min(0).max(1).default(0.02),
      decay: z.number().gt(0).max(1).default(0.98),
    })
    .prefault({}),
  /** Initial Q-value. The paper: "initially set to low values", which is why unexplored actions get ignored. */
  qInit: z.number().default(0),
  /** Bins per observation dimension for a Box observation (one number for all, or one per dimension). */
  bins: z.union([z.number().int().min(1), z.array(z.number().int().min(1)).min(1)]).default(10),
  /** Deliberate twin imperfection: Gaussian noise on forked state columns (seed 001 §V-A). */
  twinNoise: z
    .array(
      z.strictObject({
        entity: z.string().min(1),
        column: z.string().min(1),
        std: z.number().min(0),
        min: z.number().optional(),
        max: z.number().optional(),
      }),
    )
    .default([]),
  /** Deliberate twin imperfection: the identical domain lags the physical state by this many steps. */
  mirrorDelay: z.number().int().min(0).default(0),
});

export type DtQLearningConfig = z.output<typeof dtQLearningConfigSchema>;
export type DtQLearningConfigInput = z.input<typeof dtQLearningConfigSchema>;
