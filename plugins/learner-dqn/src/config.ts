import { z } from 'zod';

const activations = ['relu', 'tanh', 'elu', 'leaky-relu'] as const;

export const prioritizedConfigSchema = z.strictObject({
  /** P(i) ∝ p_i^α (Schaul et al. 2016, proportional variant: 0.6). */
  alpha: z.number().min(0).default(0.6),
  /** Importance-sampling exponent at the first step, annealed linearly to 1 over `betaSteps` (0.4). */
  beta0: z.number().min(0).max(1).default(0.4),
  /** Env steps over which β reaches 1. */
  betaSteps: z.number().int().positive().default(50_000),
  /** ε added to |δ| so no transition starves. */
  epsilon: z.number().positive().default(1e-6),
});

/**
 * DQN hyper-parameters. Defaults are rl-baselines3-zoo's tuned CartPole-v1 values (hyperparams/dqn.yml:
 * lr 2.3e-3, batch 64, buffer 1e5, learning_starts 1000, γ 0.99, target_update_interval 10, train_freq 256,
 * gradient_steps 128, exploration_fraction 0.16 of 5e4 steps → 8000, exploration_final_eps 0.04, net [256, 256]) and
 * SB3's DQN defaults for the rest (Huber loss, max_grad_norm 10, hard target copy τ = 1).
 */
export const dqnConfigSchema = z.strictObject({
  hiddenSizes: z.array(z.number().int().positive()).min(1).default([256, 256]),
  activation: z.enum(activations).default('relu'),
  lr: z.number().positive().default(2.3e-3),
  gamma: z.number().min(0).max(1).default(0.99),
  batchSize: z.number().int().positive().default(64),
  bufferSize: z.number().int().positive().default(100_000),
  /** Env steps collected (ε-greedy from ε = initial) before the first gradient step. */
  learningStarts: z.number().int().min(0).default(1000),
  /** Train every `trainFreq` env steps ... */
  trainFreq: z.number().int().positive().default(256),
  /** ... with this many gradient steps (SB3's train_freq / gradient_steps). */
  gradientSteps: z.number().int().positive().default(128),
  /** Update the target network every this many env steps (SB3 counts env steps, not gradient steps). */
  targetUpdateInterval: z.number().int().positive().default(10),
  /** 1 copies the online weights (hard update); below 1 is Polyak averaging θ' ← τθ + (1-τ)θ' at each interval. */
  tau: z.number().gt(0).max(1).default(1),
  explorationInitial: z.number().min(0).max(1).default(1),
  explorationFinal: z.number().min(0).max(1).default(0.04),
  /** Env steps over which ε falls linearly from initial to final. */
  explorationSteps: z.number().int().positive().default(8000),
  /** Double DQN (van Hasselt et al. 2016): the online net picks a', the target net values it. */
  double: z.boolean().default(true),
  /** Huber threshold δ (1 = SB3's smooth_l1_loss). */
  huberDelta: z.number().positive().default(1),
  /** Clip gradients by global L2 norm (SB3 max_grad_norm). */
  maxGradNorm: z.number().positive().default(10),
  /** n-step returns (1 = plain one-step TD). */
  nStep: z.number().int().positive().default(1),
  /** Prioritized replay; `false` (default) samples uniformly. `true` uses the defaults above. */
  prioritized: z.union([z.boolean(), prioritizedConfigSchema]).default(false),
});

export type DqnConfig = z.input<typeof dqnConfigSchema>;
export type ResolvedDqnConfig = z.output<typeof dqnConfigSchema>;
export type PrioritizedConfig = z.output<typeof prioritizedConfigSchema>;

/** The resolved PER settings, or undefined for uniform replay. */
export function resolvePrioritized(config: ResolvedDqnConfig): PrioritizedConfig | undefined {
  if (config.prioritized === false) return undefined;
  return config.prioritized === true ? prioritizedConfigSchema.parse({}) : config.prioritized;
}
