import { z } from 'zod';

export const trainConfigSchema = z.strictObject({
  steps: z.number().int().min(1).default(1500),
  batchSize: z.number().int().min(1).default(32),
  lr: z.number().positive().default(2e-3),
  /** Linear decay to lr·finalLrFraction over the run. */
  finalLrFraction: z.number().min(0).max(1).default(0.1),
  /** Embedding and residual dropout while training (seeded masks). */
  dropout: z.number().min(0).lt(1).default(0.1),
  /**
   * Exponential moving average of the weights (Polyak averaging; 0 = off): validation, early stopping and the
   * returned weights use the average, not the last iterate. At lr 2e-3 the iterates wander: 250 steps apart, the
   * teacher-forced expected count of a kind per timeline moved by 10-25 % (node-fail 0.86 → 1.13 → 1.00 against
   * 1.01 real) while the held-out loss barely changed, and the early-stopped iterate sampled 6 % too few events.
   * Warm-up as in the diffusion plugin: the decay is min(emaDecay, (1 + step)/(10 + step)).
   */
  emaDecay: z.number().min(0).lt(1).default(0.995),
  /** AdamW decoupled weight decay. */
  weightDecay: z.number().min(0).default(0.01),
  clipNorm: z.number().positive().default(1),
  /** Probability of replacing each condition token by "unknown" (so unconditioned sampling works too). */
  pDropCondition: z.number().min(0).max(1).default(0.1),
  logEvery: z.number().int().min(1).default(100),
  /**
   * With validation sequences: their loss is measured every `logEvery` steps and the weights of the best
   * measurement are restored at the end (early stopping; ~1000 timelines overfit a 140k-parameter model within a
   * few hundred steps).
   */
  keepBest: z.boolean().default(true),
  /**
   * Draw each batch from one bucket of similar-length sequences (cheaper padding) instead of uniformly. Off by
   * default: length-homogeneous batches bias the end-of-timeline probability towards the last buckets seen.
   */
  lengthBuckets: z.boolean().default(false),
  /**
   * Train under the decoding masks (the softmax over the tokens constrained decoding allows; see decodingMasks), so
   * the model fits the distribution the sampler draws from. Off: plain next-token training over all tokens.
   */
  constrainedTraining: z.boolean().default(true),
  /** Relabel each drawn timeline under the mesh generator's symmetries (see train/augment.ts). */
  augment: z.enum(['none', 'mesh-symmetries']).default('none'),
});
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainConfig = z.output<typeof trainConfigSchema>;

export const sampleConfigSchema = z.strictObject({
  /** Softmax temperature (> 0); 1 samples the model's distribution. */
  temperature: z.number().positive().default(1),
  /** Keep only the k most likely allowed tokens (0 = all). */
  topK: z.number().int().min(0).default(0),
  /** Enforce the validity rules while decoding (off: syntax only, for comparison). */
  constrained: z.boolean().default(true),
  /** Timelines decoded together per network call. */
  batchSize: z.number().int().min(1).default(256),
});
export type SampleConfigInput = z.input<typeof sampleConfigSchema>;
export type SampleConfig = z.output<typeof sampleConfigSchema>;
