import { assertFinite, type Rng, TwinforgeError, validateConfig } from '@twinforge/core';
import {
  type LoopAgent,
  type LoopTransition,
  NStepAccumulator,
  type Policy,
  type PrioritizedBatch,
  PrioritizedReplay,
  ReplayBuffer,
  type TransitionBatch,
} from '@twinforge/rl';
import {
  Adam,
  createMlp,
  hardUpdate,
  huberLoss,
  type Mlp,
  pickActions,
  type StepResult,
  softUpdate,
  tf,
} from '@twinforge/tensor';
import {
  type DqnConfig,
  dqnConfigSchema,
  type PrioritizedConfig,
  type ResolvedDqnConfig,
  resolvePrioritized,
} from './config.js';
import { checkpointConfig, loadDqnCheckpoint, readDqnMetadata, saveDqnCheckpoint } from './dqn-checkpoint.js';
import { dqnTargets } from './dqn-targets.js';
import { linearSchedule } from './schedule.js';

/** A transition as loops report it (rl's LoopTransition without info, core's Transition). */
export type DqnTransition = Omit<LoopTransition<ArrayLike<number>, number>, 'info'>;

export interface DqnAgentOptions {
  readonly obsDim: number;
  readonly nActions: number;
  readonly config?: DqnConfig;
}

/**
 * Deep Q-learning (Mnih et al. 2015) as SB3 runs it, with double DQN, Polyak targets, prioritized replay and
 * n-step returns as options. The agent owns its networks, optimizer, replay and counters; `observe` is the whole
 * learning rule (store, sync the target every `targetUpdateInterval` env steps, train `gradientSteps` times every
 * `trainFreq` env steps after `learningStarts`), so any loop that reports transitions trains it.
 *
 * Randomness: weights from `rng.split('q')` (the target starts as an exact copy), ε-greedy draws from
 * `rng.split('explore')`, replay sampling from `rng.split('replay')`: same seed and backend, same learning curve.
 */
export class DqnAgent {
  readonly config: ResolvedDqnConfig;
  readonly obsDim: number;
  readonly nActions: number;
  readonly q: Mlp;
  readonly target: Mlp;
  readonly optimizer: Adam;
  readonly #per: PrioritizedConfig | undefined;
  readonly #replay: ReplayBuffer | PrioritizedReplay;
  readonly #batch: TransitionBatch | PrioritizedBatch;
  /** γ^k of the transition in each replay slot (n-step horizons shorten at episode ends). */
  readonly #discounts: Float32Array;
  readonly #batchDiscounts: Float32Array;
  readonly #batchActions: Int32Array;
  readonly #nStep: NStepAccumulator<Float32Array, number> | undefined;
  #exploreRng: Rng;
  #replayRng: Rng;
  #steps = 0;
  #updates = 0;
  #lossSum = 0;
  #lossCount = 0;

  constructor(options: DqnAgentOptions, rng: Rng) {
    this.config = validateConfig(dqnConfigSchema, options.config ?? {}, 'DQN config');
    for (const [name, v] of [
      ['obsDim', options.obsDim],
      ['nActions', options.nActions],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 1) {
        throw new TwinforgeError('INVALID_ARGUMENT', `DqnAgent ${name} must be an integer >= 1, got ${v}`);
      }
    }
    this.obsDim = options.obsDim;
    this.nActions = options.nActions;
    const c = this.config;
    const sizes = [this.obsDim, ...c.hiddenSizes, this.nActions];
    this.q = createMlp({ sizes, activation: c.activation, name: 'q' }, rng.split('q'));
    this.target = createMlp({ sizes, activation: c.activation, name: 'q' }, rng.split('q'));
    this.optimizer = new Adam(this.q, { lr: c.lr, clipNorm: c.maxGradNorm });
    this.#per = resolvePrioritized(c);
    if (this.#per === undefined) {
      this.#replay = new ReplayBuffer(c.bufferSize, this.obsDim, 1);
      this.#batch = this.#replay.createBatch(c.batchSize);
    } else {
      this.#replay = new PrioritizedReplay(c.bufferSize, this.obsDim, 1, {
        alpha: this.#per.alpha,
        beta: this.#per.beta0,
        epsilonAgent: this.#per.epsilon,
      });
      this.#batch = this.#replay.createBatch(c.batchSize);
    }
    this.#discounts = new Float32Array(c.bufferSize);
    this.#batchDiscounts = new Float32Array(c.batchSize);
    this.#batchActions = new Int32Array(c.batchSize);
    this.#nStep = c.nStep > 1 ? new NStepAccumulator<Float32Array, number>(c.nStep, c.gamma) : undefined;
    this.#exploreRng = rng.split('explore');
    this.#replayRng = rng.split('replay');
  }

  /** Env steps observed. */
  get steps(): number {
    return this.#steps;
  }

  /** Gradient steps taken. */
  get updates(): number {
    return this.#updates;
  }

  /** Transitions in the replay buffer. */
  get replaySize(): number {
    return this.#replay.size;
  }

  /** ε of the next exploring action. */
  get epsilon(): number {
    const c = this.config;
    return linearSchedule(c.explorationInitial, c.explorationFinal, c.explorationSteps, this.#steps);
  }

  /** Q(s, ·) for one observation. */
  qValues(observation: ArrayLike<number>): Float32Array {
    return this.q.predict(this.#checkObs(observation));
  }

  /**
   * An action index in [0, nActions): uniformly random before `learningStarts` and with probability ε while
   * exploring (SB3), else argmax Q (one read from the backend; a random action skips the network).
   */
  act(observation: ArrayLike<number>, explore: boolean): number {
    if (explore) {
      const r = this.#exploreRng;
      if (this.#steps < this.config.learningStarts || r.uniform() < this.epsilon) return r.int(0, this.nActions - 1);
    }
    return argmax(this.qValues(observation), 0, this.nActions);
  }

  /** Greedy actions for a batch of observations (row-major [B, obsDim]) in one forward pass: batched evaluation. */
  greedyActions(observations: Float32Array): Int32Array {
    const values = this.q.predict(observations);
    const batch = values.length / this.nActions;
    const out = new Int32Array(batch);
    for (let i = 0; i < batch; i++) out[i] = argmax(values, i * this.nActions, this.nActions);
    return out;
  }

  /** Records one env step and runs whatever the schedule says is due (target sync, gradient steps). */
  observe(t: DqnTransition): void {
    if (!Number.isInteger(t.action) || t.action < 0 || t.action >= this.nActions) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `action must be an integer in [0, ${this.nActions}), got ${t.action}`,
      );
    }
    assertFinite(t.reward, 'reward');
    this.#steps++;
    this.#store(t);
    const c = this.config;
    if (this.#steps % c.targetUpdateInterval === 0) this.syncTarget();
    if (this.#steps > c.learningStarts && this.#steps % c.trainFreq === 0 && this.#replay.size >= c.batchSize) {
      for (let i = 0; i < c.gradientSteps; i++) this.trainStep();
    }
  }

  #store(t: DqnTransition): void {
    const gamma = this.config.gamma;
    if (this.#nStep === undefined) {
      const slot = this.#replay.add(t);
      this.#discounts[slot] = gamma;
      return;
    }
    // The accumulator keeps references for n steps: copy, since environments may reuse their arrays.
    const ready = this.#nStep.push({
      observation: Float32Array.from(t.observation),
      action: t.action,
      reward: t.reward,
      nextObservation: Float32Array.from(t.nextObservation),
      terminated: t.terminated,
      truncated: t.truncated,
    });
    for (const n of ready) {
      const slot = this.#replay.add(n);
      this.#discounts[slot] = n.discount;
    }
  }

  /** Target ← online (τ = 1) or Polyak toward it. */
  syncTarget(): void {
    if (this.config.tau === 1) hardUpdate(this.target, this.q);
    else softUpdate(this.target, this.q, this.config.tau);
  }

  /** One gradient step on a replay batch: Huber(Q(s, a), y) with y from `dqnTargets`; PER priorities updated. */
  trainStep(): StepResult {
    const c = this.config;
    const B = c.batchSize;
    const batch = this.#batch;
    if (this.#replay instanceof PrioritizedReplay) {
      const per = this.#per as PrioritizedConfig;
      this.#replay.beta = linearSchedule(per.beta0, 1, per.betaSteps, this.#steps);
      this.#replay.sample(this.#replayRng, batch as PrioritizedBatch);
    } else {
      this.#replay.sample(this.#replayRng, batch);
    }
    for (let i = 0; i < B; i++) {
      this.#batchDiscounts[i] = this.#discounts[batch.indices[i] as number] as number;
      this.#batchActions[i] = batch.actions[i] as number;
    }
    const weightsHost = 'weights' in batch ? batch.weights : undefined;
    const obs = tf.tensor2d(batch.observations, [B, this.obsDim]);
    const actions = tf.tensor1d(this.#batchActions, 'int32');
    const weights = weightsHost === undefined ? undefined : tf.tensor1d(weightsHost);
    const y = tf.tidy(() => {
      const next = tf.tensor2d(batch.nextObservations, [B, this.obsDim]);
      return dqnTargets({
        rewards: tf.tensor1d(batch.rewards),
        discounts: tf.tensor1d(this.#batchDiscounts),
        terminated: tf.tensor1d(batch.terminated),
        nextQTarget: this.target.apply(next),
        ...(c.double ? { nextQOnline: this.q.apply(next) } : {}),
      });
    });
    try {
      const result = this.optimizer.minimize(() => {
        const qa = pickActions(this.q.apply(obs), actions);
        const loss = huberLoss(qa, y, { delta: c.huberDelta, ...(weights === undefined ? {} : { weights }) });
        return weights === undefined ? loss : { loss, aux: tf.abs(tf.sub(qa, y)) };
      });
      if (this.#replay instanceof PrioritizedReplay && result.aux !== undefined) {
        this.#replay.updatePriorities(batch.indices, result.aux);
      }
      this.#updates++;
      this.#lossSum += result.loss;
      this.#lossCount++;
      return result;
    } finally {
      tf.dispose([obs, actions, y]);
      weights?.dispose();
    }
  }

  /** Metrics since the last call: mean loss over the gradient steps taken, ε, counters. */
  takeMetrics(): Record<string, number> {
    const out: Record<string, number> = { epsilon: this.epsilon, steps: this.#steps, updates: this.#updates };
    if (this.#lossCount > 0) out.loss = this.#lossSum / this.#lossCount;
    this.#lossSum = 0;
    this.#lossCount = 0;
    return out;
  }

  /** For rl's trainLoop: explores and learns from every reported transition; evaluations use the greedy policy. */
  asLoopAgent(): LoopAgent<ArrayLike<number>, number> {
    return { act: (obs) => this.act(obs, true), observe: (t) => this.observe(t), evalPolicy: this.greedyPolicy() };
  }

  /** For rl's evaluatePolicy: argmax Q, no exploration, no learning. */
  greedyPolicy(): Policy<ArrayLike<number>, number> {
    return { act: (obs) => this.act(obs, false) };
  }

  /**
   * Networks, optimizer moments and counters (and the RNG positions) through a tensor checkpoint. The replay buffer
   * is not saved (as in SB3 by default): a loaded agent acts identically and resumes training once its buffer
   * holds a batch again.
   */
  async save(dir: string): Promise<void> {
    await saveDqnCheckpoint(dir, this, {
      steps: this.#steps,
      updates: this.#updates,
      rng: { explore: this.#exploreRng.getState(), replay: this.#replayRng.getState() },
    });
  }

  /** A new agent with the architecture and config stored in a checkpoint, loaded from it. */
  static async fromCheckpoint(dir: string, rng: Rng): Promise<DqnAgent> {
    const meta = await readDqnMetadata(dir);
    const agent = new DqnAgent({ obsDim: meta.obsDim, nActions: meta.nActions, config: checkpointConfig(meta) }, rng);
    await agent.load(dir);
    return agent;
  }

  async load(dir: string): Promise<void> {
    const state = await loadDqnCheckpoint(dir, this);
    this.#steps = state.steps;
    this.#updates = state.updates;
    this.#exploreRng = state.rng.explore;
    this.#replayRng = state.rng.replay;
    this.#nStep?.clear();
  }

  dispose(): void {
    this.q.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }

  #checkObs(observation: ArrayLike<number>): Float32Array {
    if (observation.length !== this.obsDim) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `observation has length ${observation.length}, the Q network expects ${this.obsDim}`,
      );
    }
    return observation instanceof Float32Array ? observation : Float32Array.from(observation);
  }
}

/** Index of the largest of values[offset .. offset + n), first on ties; a NaN Q-value is an error, not action 0. */
function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i] as number;
    if (Number.isNaN(v)) {
      throw new TwinforgeError('NUMERIC_INVALID', `Q network returned NaN for action ${i}; the weights have diverged`);
    }
    if (v > bestValue || i === 0) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}
