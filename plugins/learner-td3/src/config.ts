import { z } from 'zod';

/**
 * TD3 hyper-parameters. Defaults are rl-baselines3-zoo's tuned Pendulum-v1 values (hyperparams/td3.yml: γ 0.98,
 * buffer 2e5, learning_starts 1e4, Gaussian exploration noise σ 0.1, lr 1e-3, net [400, 300], train_freq 1,
 * gradient_steps 1, 2e4 steps) and, for the rest, the TD3 paper's / SB3's defaults (batch 256, τ 0.005,
 * policy_delay 2, target policy noise 0.2 clipped at 0.5).
 */
export const td3ConfigSchema = z.strictObject({
  /** Hidden widths of the actor and of each critic. */
  hiddenSizes: z.array(z.number().int().positive()).min(1).default([400, 300]),
  actorLr: z.number().positive().default(1e-3),
  criticLr: z.number().positive().default(1e-3),
  gamma: z.number().min(0).max(1).default(0.98),
  batchSize: z.number().int().positive().default(256),
  bufferSize: z.number().int().positive().default(200_000),
  /** Uniformly random actions (the paper's start_timesteps) and no training for this many env steps. */
  learningStarts: z.number().int().min(0).default(10_000),
  trainFreq: z.number().int().positive().default(1),
  gradientSteps: z.number().int().positive().default(1),
  /** Polyak factor of both target networks. */
  tau: z.number().gt(0).max(1).default(0.005),
  /** One actor (and target) update per `policyDelay` critic updates. */
  policyDelay: z.number().int().positive().default(2),
  /** σ of the Gaussian exploration noise, in normalised action units ([-1, 1]; the paper's 0.1 · max_action). */
  explorationNoise: z.number().min(0).default(0.1),
  /** Target policy smoothing: σ and clip of the noise added to the target actor's action (normalised units). */
  targetPolicyNoise: z.number().min(0).default(0.2),
  targetNoiseClip: z.number().min(0).default(0.5),
  /** Optional global-norm gradient clipping of both networks (TD3 and SB3 do not clip). */
  maxGradNorm: z.number().positive().optional(),
});

export type Td3Config = z.input<typeof td3ConfigSchema>;
export type ResolvedTd3Config = z.output<typeof td3ConfigSchema>;
