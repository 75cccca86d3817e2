import { z } from 'zod';

/** DT-enhanced DQN (seed 001 §IV-B reading, on @twinforge/tensor): the tabular learner's twin use, on a Q-network. */
export const dtDqnConfigSchema = z.strictObject({
  /** n: actions evaluated per state (the physical one + n − 1 tried in forked domains); n = 1 is physical DQN. */
  trials: z.number().int().min(1).default(1),
  /** k: each stored transition carries the k-step return predicted in the twin (k = 1: ordinary transitions). */
  predictionSteps: z.number().int().min(1).default(1),
  /** Look-aheads per evaluated action; each is stored as its own transition. */
  predictionRollouts: z.number().int().min(1).default(1),
  /** Hidden layer sizes of the Q-network (ReLU MLP). */
  hidden: z.array(z.number().int().min(1)).min(1).default([64, 64]),
  lr: z.number().gt(0).default(1e-3),
  gamma: z.number().min(0).max(1).default(0.9),
  batchSize: z.number().int().min(1).default(64),
  bufferSize: z.number().int().min(1).default(50_000),
  /** Transitions in the buffer before the first gradient step. */
  learningStarts: z.number().int().min(1).default(256),
  /** A training round every this many physical steps, of `gradientSteps` Adam steps. */
  trainEvery: z.number().int().min(1).default(1),
  gradientSteps: z.number().int().min(1).default(1),
  /** Hard target-network update every this many gradient steps. */
  targetUpdateEvery: z.number().int().min(1).default(250),
  /** Gradient clipping by global norm (as SB3's DQN, 10). */
  clipNorm: z.number().gt(0).default(10),
  epsilon: z
    .strictObject({
      start: z.number().min(0).max(1).default(1),
      end: z.number().min(0).max(1).default(0.02),
      decay: z.number().gt(0).max(1).default(0.98),
    })
    .prefault({}),
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
  mirrorDelay: z.number().int().min(0).default(0),
});

export type DtDqnConfig = z.output<typeof dtDqnConfigSchema>;
export type DtDqnConfigInput = z.input<typeof dtDqnConfigSchema>;
