import { assertFinite, type Rng, TwinforgeError, validateConfig } from '@twinforge/core';
import { type LoopAgent, type LoopTransition, type Policy, ReplayBuffer, type TransitionBatch } from '@twinforge/rl';
import {
  Adam,
  createMlp,
  createTwinCritic,
  type Mlp,
  mseLoss,
  normalTensor,
  softUpdate,
  type TwinCritic,
  tf,
} from '@twinforge/tensor';
import { type ResolvedTd3Config, type Td3Config, td3ConfigSchema } from './config.js';
import { loadTd3Checkpoint, readTd3Metadata, saveTd3Checkpoint } from './td3-checkpoint.js';
import { clippedDoubleQTarget, smoothTargetActions } from './td3-targets.js';

/** A transition as loops report it; the action is in environment units. */
export type Td3Transition = Omit<LoopTransition<ArrayLike<number>, ArrayLike<number>>, 'info'>;

export interface Td3AgentOptions {
  readonly obsDim: number;
  /** Action bounds per dimension (the Box's low and high); the actor works in [-1, 1] and is rescaled to them. */
  readonly low: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly config?: Td3Config;
}

export interface Td3UpdateResult {
  readonly criticLoss: number;
  /** Present on the delayed steps that also moved the actor. */
  readonly actorLoss?: number;
}

/**
 * TD3 (Fujimoto, van Hoof & Meger 2018) as the authors' reference code and SB3 run it: a deterministic tanh actor,
 * twin critics trained on the clipped double-Q target with target policy smoothing, the actor and both target
 * networks updated once per `policyDelay` critic updates (Polyak τ), Gaussian exploration noise and uniformly
 * random actions for the first `learningStarts` steps. Actions are normalised to [-1, 1] inside (replay, networks,
 * noise) and rescaled to the environment's bounds at the edge.
 *
 * Randomness: actor weights from `rng.split('actor')`, critics from `rng.split('critic')` (targets start as exact
 * copies), exploration from `split('explore')`, replay from `split('replay')`, smoothing noise from
 * `split('smoothing')`: same seed and backend, same learning curve.
 */
export class Td3Agent {
  readonly config: ResolvedTd3Config;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly low: Float32Array;
  readonly high: Float32Array;
  readonly actor: Mlp;
  readonly actorTarget: Mlp;
  readonly critic: TwinCritic;
  readonly criticTarget: TwinCritic;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly #replay: ReplayBuffer;
  readonly #batch: TransitionBatch;
  readonly #normAction: Float32Array;
  #exploreRng: Rng;
  #replayRng: Rng;
  #smoothingRng: Rng;
  #steps = 0;
  #updates = 0;
  #criticLossSum = 0;
  #actorLossSum = 0;
  #criticCount = 0;
  #actorCount = 0;

  constructor(options: Td3AgentOptions, rng: Rng) {
    this.config = validateConfig(td3ConfigSchema, options.config ?? {}, 'TD3 config');
    if (!Number.isSafeInteger(options.obsDim) || options.obsDim < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `Td3Agent obsDim must be an integer >= 1, got ${options.obsDim}`);
    }
    if (options.low.length === 0 || options.low.length !== options.high.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'Td3Agent low and high must be non-empty and of equal length');
    }
    for (let i = 0; i < options.low.length; i++) {
      const lo = options.low[i] as number;
      const hi = options.high[i] as number;
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `action bounds of dimension ${i} must be finite with low < high`);
      }
    }
    this.obsDim = options.obsDim;
    this.actionDim = options.low.length;
    this.low = Float32Array.from(options.low);
    this.high = Float32Array.from(options.high);
    const c = this.config;
    const actorConfig = {
      sizes: [this.obsDim, ...c.hiddenSizes, this.actionDim],
      outputActivation: 'tanh' as const,
      name: 'actor',
    };
    this.actor = createMlp(actorConfig, rng.split('actor'));
    this.actorTarget = createMlp(actorConfig, rng.split('actor'));
    const criticConfig = { obsSize: this.obsDim, actionSize: this.actionDim, hiddenSizes: c.hiddenSizes };
    this.critic = createTwinCritic(criticConfig, rng.split('critic'));
    this.criticTarget = createTwinCritic(criticConfig, rng.split('critic'));
    const clip = c.maxGradNorm === undefined ? {} : { clipNorm: c.maxGradNorm };
    this.actorOptimizer = new Adam(this.actor, { lr: c.actorLr, ...clip });
    this.criticOptimizer = new Adam(this.critic, { lr: c.criticLr, ...clip });
    this.#replay = new ReplayBuffer(c.bufferSize, this.obsDim, this.actionDim);
    this.#batch = this.#replay.createBatch(c.batchSize);
    this.#normAction = new Float32Array(this.actionDim);
    this.#exploreRng = rng.split('explore');
    this.#replayRng = rng.split('replay');
    this.#smoothingRng = rng.split('smoothing');
  }

  get steps(): number {
    return this.#steps;
  }

  /** Critic updates taken (the actor moved on every `policyDelay`-th). */
  get updates(): number {
    return this.#updates;
  }

  get replaySize(): number {
    return this.#replay.size;
  }

  /**
   * An action in environment units: uniform before `learningStarts` when exploring, else μ(s) plus N(0, σ) noise
   * (exploring) or μ(s) alone, clipped to [-1, 1] and rescaled. One read from the backend.
   */
  act(observation: ArrayLike<number>, explore: boolean): Float32Array {
    const a = new Float32Array(this.actionDim);
    if (explore && this.#steps < this.config.learningStarts) {
      this.#exploreRng.fillUniform(a, -1, 1);
    } else {
      a.set(this.actor.predict(this.#checkObs(observation)));
      if (explore) {
        for (let i = 0; i < a.length; i++) {
          a[i] = clip1((a[i] as number) + this.#exploreRng.normal(0, this.config.explorationNoise));
        }
      }
    }
    return this.#toEnv(a, 0, a);
  }

  /** μ(s) for a batch of observations (row-major [B, obsDim]) in one forward pass, in environment units. */
  greedyActions(observations: Float32Array): Float32Array {
    const a = this.actor.predict(observations);
    for (let i = 0; i < a.length; i += this.actionDim) this.#toEnv(a, i, a);
    return a;
  }

  /** Records one env step and trains `gradientSteps` times every `trainFreq` steps once past `learningStarts`. */
  observe(t: Td3Transition): void {
    if (t.action.length !== this.actionDim) {
      throw new TwinforgeError('INVALID_ARGUMENT', `action must have length ${this.actionDim}, got ${t.action.length}`);
    }
    assertFinite(t.reward, 'reward');
    for (let i = 0; i < this.actionDim; i++) {
      const lo = this.low[i] as number;
      const hi = this.high[i] as number;
      this.#normAction[i] = clip1((2 * ((t.action[i] as number) - lo)) / (hi - lo) - 1);
    }
    this.#replay.add({
      observation: t.observation,
      action: this.#normAction,
      reward: t.reward,
      nextObservation: t.nextObservation,
      terminated: t.terminated,
    });
    this.#steps++;
    const c = this.config;
    if (this.#steps > c.learningStarts && this.#steps % c.trainFreq === 0 && this.#replay.size >= c.batchSize) {
      for (let i = 0; i < c.gradientSteps; i++) this.trainStep();
    }
  }

  /** One critic update on a replay batch, plus the delayed actor and target updates when due. */
  trainStep(): Td3UpdateResult {
    const c = this.config;
    const B = c.batchSize;
    const batch = this.#replay.sample(this.#replayRng, this.#batch);
    const obs = tf.tensor2d(batch.observations, [B, this.obsDim]);
    const act = tf.tensor2d(batch.actions, [B, this.actionDim]);
    const noise = normalTensor(this.#smoothingRng, [B, this.actionDim], 0, c.targetPolicyNoise) as tf.Tensor2D;
    const y = tf.tidy(() => {
      const next = tf.tensor2d(batch.nextObservations, [B, this.obsDim]);
      const a2 = smoothTargetActions(this.actorTarget.apply(next), noise, c.targetNoiseClip);
      const [q1, q2] = this.criticTarget.apply(next, a2);
      return clippedDoubleQTarget({
        rewards: tf.tensor2d(batch.rewards, [B, 1]),
        terminated: tf.tensor2d(batch.terminated, [B, 1]),
        q1,
        q2,
        gamma: c.gamma,
      });
    });
    try {
      const critic = this.criticOptimizer.minimize(() => {
        const [q1, q2] = this.critic.apply(obs, act);
        return tf.add(mseLoss(q1, y), mseLoss(q2, y)) as tf.Scalar;
      });
      this.#updates++;
      this.#criticLossSum += critic.loss;
      this.#criticCount++;
      if (this.#updates % c.policyDelay !== 0) return { criticLoss: critic.loss };
      // Only the actor's variables move: the optimizer differentiates its own sources only.
      const actor = this.actorOptimizer.minimize(() => tf.neg(tf.mean(this.critic.q1(obs, this.actor.apply(obs)))));
      softUpdate(this.criticTarget, this.critic, c.tau);
      softUpdate(this.actorTarget, this.actor, c.tau);
      this.#actorLossSum += actor.loss;
      this.#actorCount++;
      return { criticLoss: critic.loss, actorLoss: actor.loss };
    } finally {
      tf.dispose([obs, act, noise, y]);
    }
  }

  /** Metrics since the last call: mean critic and actor losses, counters. */
  takeMetrics(): Record<string, number> {
    const out: Record<string, number> = { steps: this.#steps, updates: this.#updates };
    if (this.#criticCount > 0) out.criticLoss = this.#criticLossSum / this.#criticCount;
    if (this.#actorCount > 0) out.actorLoss = this.#actorLossSum / this.#actorCount;
    this.#criticLossSum = 0;
    this.#actorLossSum = 0;
    this.#criticCount = 0;
    this.#actorCount = 0;
    return out;
  }

  /** For rl's trainLoop: explores and learns from every reported transition; evaluations use the greedy policy. */
  asLoopAgent(): LoopAgent<ArrayLike<number>, Float32Array> {
    return { act: (obs) => this.act(obs, true), observe: (t) => this.observe(t), evalPolicy: this.greedyPolicy() };
  }

  /** For rl's evaluatePolicy: the deterministic actor, no noise, no learning. */
  greedyPolicy(): Policy<ArrayLike<number>, Float32Array> {
    return { act: (obs) => this.act(obs, false) };
  }

  /**
   * Actor, critics, their targets, both optimizers, counters and RNG positions through a tensor checkpoint; the
   * replay buffer is not saved (as in SB3 by default).
   */
  async save(dir: string): Promise<void> {
    await saveTd3Checkpoint(dir, this, {
      steps: this.#steps,
      updates: this.#updates,
      rng: {
        explore: this.#exploreRng.getState(),
        replay: this.#replayRng.getState(),
        smoothing: this.#smoothingRng.getState(),
      },
    });
  }

  /** A new agent with the shapes, bounds and config stored in a checkpoint, loaded from it. */
  static async fromCheckpoint(dir: string, rng: Rng): Promise<Td3Agent> {
    const meta = await readTd3Metadata(dir);
    const agent = new Td3Agent(
      { obsDim: meta.obsDim, low: meta.low, high: meta.high, config: meta.config as Td3Config },
      rng,
    );
    await agent.load(dir);
    return agent;
  }

  async load(dir: string): Promise<void> {
    const state = await loadTd3Checkpoint(dir, this);
    this.#steps = state.steps;
    this.#updates = state.updates;
    this.#exploreRng = state.rng.explore;
    this.#replayRng = state.rng.replay;
    this.#smoothingRng = state.rng.smoothing;
  }

  dispose(): void {
    for (const m of [this.actor, this.actorTarget, this.critic, this.criticTarget]) m.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
  }

  /** Rescales normalised actions a[offset..offset+actionDim) from [-1, 1] to [low, high] into out. */
  #toEnv(a: Float32Array, offset: number, out: Float32Array): Float32Array {
    for (let i = 0; i < this.actionDim; i++) {
      const v = a[offset + i] as number;
      if (Number.isNaN(v)) {
        throw new TwinforgeError('NUMERIC_INVALID', 'the actor returned NaN: the weights have diverged');
      }
      const lo = this.low[i] as number;
      const hi = this.high[i] as number;
      out[offset + i] = lo + ((clip1(v) + 1) / 2) * (hi - lo);
    }
    return out;
  }

  #checkObs(observation: ArrayLike<number>): Float32Array {
    if (observation.length !== this.obsDim) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `observation has length ${observation.length}, the actor expects ${this.obsDim}`,
      );
    }
    return observation instanceof Float32Array ? observation : Float32Array.from(observation);
  }
}

function clip1(x: number): number {
  return Math.min(1, Math.max(-1, x));
}
