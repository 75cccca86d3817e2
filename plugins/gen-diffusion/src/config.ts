import { z } from 'zod';
import { conditionSpecSchema } from './diffusion/conditions.js';
import { mapCodecSchema } from './diffusion/map-codec.js';

export const mlpDenoiserSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.number().int().min(8).default(512),
  blocks: z.number().int().min(1).max(8).default(3),
  embDim: z.number().int().min(8).default(128),
  /**
   * Self-conditioning (Chen et al. 2022, "Analog Bits"): the network also sees its previous x₀ estimate. In training
   * half the batch gets the estimate of a first, gradient-free pass (the other half zeros); in sampling each step
   * gets the previous step's x̂₀. Lets a sample commit to the layout it started instead of re-averaging it.
   */
  selfCondition: z.boolean().default(false),
});

export const unetDenoiserSchema = z.strictObject({
  kind: z.literal('unet'),
  /** Channels per level, finest first; the map side must be divisible by 2^(levels−1). */
  channels: z.array(z.number().int().min(4)).min(1).max(4).default([16, 32, 64]),
  embDim: z.number().int().min(8).default(64),
  /** Pixel-unshuffle factor (1: none; 2: a 32×32 map runs as 16×16 cells of 4 channels). */
  patch: z.number().int().min(1).max(4).default(1),
  /** Heads of a self-attention block after the middle block, at the coarsest level (0: none; see nn/attention2d.ts). */
  attentionHeads: z.number().int().min(0).max(16).default(0),
  /**
   * Self-conditioning (Chen et al. 2022, "Analog Bits"): the network also sees its previous x₀ estimate. In training
   * half the batch gets the estimate of a first, gradient-free pass (the other half zeros); in sampling each step
   * gets the previous step's x̂₀. Lets a sample commit to the layout it started instead of re-averaging it.
   */
  selfCondition: z.boolean().default(false),
});

/** Architecture and data representation of a diffusion map model (stored in its checkpoint). */
export const diffusionModelConfigSchema = z.strictObject({
  width: z.number().int().min(2),
  height: z.number().int().min(2),
  /** Diffusion steps T of the cosine schedule; the issue asks for 200-400. */
  timesteps: z.number().int().min(200).max(400).default(300),
  /**
   * Factor on the cosine schedule's signal-to-noise ratio at every step (see diffusion/schedule.ts): 1 is the plain
   * schedule; below 1 shifts it toward more noise, for maps with more pixels than the schedule suits.
   */
  snrScale: z.number().positive().finite().default(1),
  denoiser: z.discriminatedUnion('kind', [mlpDenoiserSchema, unetDenoiserSchema]),
  conditions: z.array(conditionSpecSchema).default([]),
  codec: mapCodecSchema,
  /**
   * Standard deviation of the encoded training maps, for the network's preconditioning (see
   * nn/preconditioned.ts); `DiffusionMapModel.train` measures it on the first call when it is not given.
   */
  sigmaData: z.number().positive().optional(),
  /**
   * Mean of the encoded training maps, subtracted by the preconditioning (measured with `sigmaData`). Checkpoints
   * from before it was measured load with 0, the zero-mean preconditioning they were trained with.
   */
  dataMean: z.number().min(-1).max(1).optional(),
});
export type DiffusionModelConfigInput = z.input<typeof diffusionModelConfigSchema>;
export type DiffusionModelConfig = z.output<typeof diffusionModelConfigSchema>;

export const trainConfigSchema = z.strictObject({
  steps: z.number().int().min(1).default(3000),
  batchSize: z.number().int().min(1).default(128),
  lr: z.number().positive().default(1e-3),
  /** Learning rate decays linearly to lr·finalLrFraction over the run (short runs settle better). */
  finalLrFraction: z.number().min(0).max(1).default(0.1),
  /**
   * Rebalances which maps training draws over one condition's values (see diffusion/example-sampler.ts): power 1
   * draws each value of `condition` equally often, 0 draws maps uniformly. Absent: uniform.
   */
  balance: z.strictObject({ condition: z.string().min(1), power: z.number().min(0).max(1).default(1) }).optional(),
  /** Linear learning-rate warm-up over this many first steps (0: none); see diffusion/lr-schedule.ts. */
  warmupSteps: z.number().int().min(0).default(0),
  clipNorm: z.number().positive().default(1),
  /** EMA decay of the sampling weights, with the usual warm-up min(decay, (1 + step)/(10 + step)). */
  emaDecay: z.number().min(0).max(1).default(0.999),
  /** Probability of dropping every condition (classifier-free guidance's unconditional share). */
  pUncond: z.number().min(0).max(1).default(0.1),
  /** Probability of dropping each condition on its own (so partial conditions can be sampled too). */
  pDropEach: z.number().min(0).max(1).default(0.1),
  /** Report progress every this many steps. */
  logEvery: z.number().int().min(1).default(100),
  /**
   * 'dihedral': each drawn map is rotated/mirrored by one of the 8 symmetries of the square (only for square maps
   * whose distribution has them, e.g. jamming fields; see diffusion/augment.ts).
   */
  augment: z.enum(['none', 'dihedral']).default('none'),
  /** How training timesteps are drawn (see diffusion/timestep-sampler.ts): DDPM's uniform t, or EDM's log-normal σ. */
  timesteps: z.enum(['uniform', 'lognormal']).default('uniform'),
  /**
   * Per-sample weight of the ε-MSE (see diffusion/loss-weight.ts): 'epsilon' is DDPM's unweighted L_simple; 'edm'
   * weights each sample by 1/c_out², which makes the loss a plain MSE on the preconditioned network's output at
   * every noise level (Karras et al. 2022's λ(σ)); pair it with timesteps 'lognormal'.
   */
  lossWeighting: z.enum(['epsilon', 'edm']).default('epsilon'),
});
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type TrainConfig = z.output<typeof trainConfigSchema>;

export const sampleConfigSchema = z.strictObject({
  /** DDIM steps (the issue: about 50). */
  steps: z.number().int().min(1).default(50),
  /** Classifier-free guidance scale s in ε = ε_∅ + s·(ε_c − ε_∅); 1 is the plain conditional model. */
  guidance: z.number().min(0).default(2),
  /**
   * Noise levels where guidance applies, as [lo, hi] fractions of the T diffusion steps (t/(T−1)); elsewhere the
   * plain conditional model runs (one network call instead of two). Guidance at high noise pulls every sample
   * toward the same layouts and at low noise it only sharpens texture; limiting it to the middle keeps the condition
   * effect with less damage to the distribution (Kynkäänniemi et al. 2024, "Applying guidance in a limited
   * interval improves sample and distribution quality in diffusion models"). Default [0, 1]: every step.
   */
  guidanceInterval: z
    .tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
    .refine(([lo, hi]) => lo <= hi, { message: 'guidanceInterval must be [lo, hi] with lo <= hi' })
    .default([0, 1]),
  /** DDIM η: 0 deterministic, 1 DDPM-like ancestral noise. */
  eta: z.number().min(0).max(1).default(0),
  /** Clip each predicted x₀ to [−1, 1] (the data range) during sampling. */
  clipDenoised: z.boolean().default(true),
  /** Maps per network call. */
  batchSize: z.number().int().min(1).default(256),
});
export type SampleConfigInput = z.input<typeof sampleConfigSchema>;
export type SampleConfig = z.output<typeof sampleConfigSchema>;
