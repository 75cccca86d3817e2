import {
  type ActOptions,
  type AnyEnv,
  type CoreEnv,
  isParallelEnv,
  type Learner,
  type Logger,
  type Policy,
  type Rng,
  runEpisodes,
  silentLogger,
  type TrainContext,
  type TrainEvent,
  type Transition,
  TwinforgeError,
  validateConfig,
} from '@twinforge/core';
import { ReplayBuffer, type TransitionBatch } from '@twinforge/rl';
// Types only: the tfjs-backed package is imported on first use, so the tabular learner never pays for loading it.
import type * as TensorModule from '@twinforge/tensor';
import {
  createTwin,
  type DomainPolicy,
  gaussianStateNoise,
  isTwinSource,
  type PredictionRollout,
  type TwinSnapshot,
  type TwinSource,
} from '@twinforge/twin';
import { defer, finalize, from, type Observable, switchMap } from 'rxjs';
import { type DtDqnConfig, type DtDqnConfigInput, dtDqnConfigSchema } from './dqn-config.js';
import { TwinTrials } from './twin-trials.js';

type Tensor = typeof TensorModule;

interface Nets {
  tensor: Tensor;
  q: TensorModule.Mlp;
  target: TensorModule.Mlp;
  opt: TensorModule.Adam;
  obsDim: number;
  actions: number;
}

export interface DtDqnStats {
  episodes: number;
  physicalSteps: number;
  /** Transitions stored: the physical ones plus every trial and look-ahead. */
  transitions: number;
  gradientSteps: number;
  twinSteps: number;
  lastLoss: number;
  epsilon: number;
}

/**
 * DT-enhanced DQN for continuous observations. The physical agent acts ε-greedily on a Q-network and every
 * transition goes to a replay buffer, as in DQN; the twin adds, per physical step, one transition for each of the
 * n − 1 other actions tried in forked domains, and with k > 1 every transition carries the k-step return predicted
 * in the twin (stored with its bootstrap discount γ^steps). Training samples the buffer uniformly and regresses
 * Q(s, a) on r + γ^steps·(1 − done)·max Q_target(s') with a Huber loss (Adam, clipped gradients, hard target
 * updates). n = 1, k = 1 is plain DQN.
 */
export class DtDqnLearner implements Learner {
  readonly config: DtDqnConfig;
  readonly #rng: Rng;
  #nets: Nets | undefined;
  #buffer: ReplayBuffer | undefined;
  #discounts: Float32Array | undefined;
  #batch: TransitionBatch | undefined;
  #episodes = 0;
  #physicalSteps = 0;
  #transitions = 0;
  #gradientSteps = 0;
  #twinSteps = 0;
  #lastLoss = Number.NaN;

  constructor(config: DtDqnConfigInput | DtDqnConfig, rng: Rng) {
    this.config = validateConfig(dtDqnConfigSchema, config, 'learner "dt-dqn" config');
    this.#rng = rng;
  }

  get epsilon(): number {
    const e = this.config.epsilon;
    return Math.max(e.end, e.start * e.decay ** this.#episodes);
  }

  get stats(): DtDqnStats {
    return {
      episodes: this.#episodes,
      physicalSteps: this.#physicalSteps,
      transitions: this.#transitions,
      gradientSteps: this.#gradientSteps,
      twinSteps: this.#twinSteps,
      lastLoss: this.#lastLoss,
      epsilon: this.epsilon,
    };
  }

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => {
      const env = singleAgent(ctx.env);
      const needsTwin = this.config.trials > 1 || this.config.predictionSteps > 1;
      const source = needsTwin ? twinSource(env) : undefined;
      let trials: TwinTrials | undefined;
      return from(this.#setup(env, ctx.logger)).pipe(
        switchMap((nets) => {
          if (this.config.trials > nets.actions) {
            throw new TwinforgeError(
              'CONFIG_INVALID',
              `invalid learner "dt-dqn" config: trials: ${this.config.trials} trials per state but the environment has ${nets.actions} actions`,
              { details: { fields: ['trials'] } },
            );
          }
          const greedy: DomainPolicy<unknown, unknown> = (obs) => this.#greedy(nets, obs as Float32Array);
          trials = source
            ? new TwinTrials({
                trials: this.config.trials,
                predictionSteps: this.config.predictionSteps,
                predictionRollouts: this.config.predictionRollouts,
                gamma: this.config.gamma,
                actions: nets.actions,
                rng: this.#rng,
                createTwin: (initial) => this.#createTwin(source, initial),
              })
            : undefined;
          const twin = trials;
          const baseTwinSteps = this.#twinSteps;
          let pending: { obs: Float32Array; action: number } | undefined;
          let newEpisode = true;
          const policy: Policy = {
            act: (observation) => {
              const obs = observation as Float32Array;
              const action = this.#explore(nets, obs);
              if (twin && source) {
                twin.sync(source.twinSnapshot(), newEpisode);
                for (const { action: b, rollout } of twin.others(action, greedy))
                  this.#storeRollout(obs, b, 0, 1, rollout);
              }
              newEpisode = false;
              pending = { obs, action };
              return action;
            },
          };
          const onTransition = (t: Transition) => {
            const taken = pending;
            if (!taken) throw new TwinforgeError('LEARNER_FAILED', 'a transition arrived without a preceding action');
            pending = undefined;
            this.#physicalSteps++;
            const k = this.config.predictionSteps;
            if (twin && source && k > 1 && !t.terminated) {
              // The physical reward, then the twin's (k − 1)-step prediction from the physical next state.
              for (const r of twin.lookAhead(source.twinSnapshot(), k - 1, greedy)) {
                this.#storeRollout(taken.obs, taken.action, t.reward, this.config.gamma, r);
              }
            } else {
              this.#store(
                taken.obs,
                taken.action,
                t.reward,
                t.nextObservation as Float32Array,
                t.terminated,
                this.config.gamma,
              );
            }
            if (twin) this.#twinSteps = baseTwinSteps + twin.twinSteps;
            if (t.terminated || t.truncated) newEpisode = true;
            if (this.#physicalSteps % this.config.trainEvery === 0) this.#trainRound(nets);
          };
          return runEpisodes(ctx, policy, {
            onTransition,
            onEpisodeEnd: () => {
              this.#episodes++;
              return {
                epsilon: this.epsilon,
                loss: Number.isFinite(this.#lastLoss) ? this.#lastLoss : 0,
                transitions: this.#transitions,
                twinSteps: this.#twinSteps,
              };
            },
          });
        }),
        finalize(() => trials?.dispose()),
      );
    });
  }

  policy(): Policy {
    return {
      act: (observation: unknown, options: ActOptions) => {
        const nets = this.#nets;
        if (!nets) throw new TwinforgeError('LEARNER_FAILED', 'dt-dqn has no network yet: train() or load() first');
        const obs = observation as Float32Array;
        return options.explore ? this.#explore(nets, obs) : this.#greedy(nets, obs);
      },
    };
  }

  /** Saves the online and target networks and Adam's state (a checksummed @twinforge/tensor checkpoint). */
  async save(dir: string): Promise<void> {
    const nets = this.#nets;
    if (!nets) throw new TwinforgeError('LEARNER_FAILED', 'nothing to save: the learner has not trained');
    await nets.tensor.saveWeights(
      dir,
      { q: nets.q, target: nets.target, optimizer: nets.opt.asWeightSource() },
      { metadata: { learner: 'dt-dqn', obsDim: nets.obsDim, actions: nets.actions, episodes: this.#episodes } },
    );
  }

  /** Restores a checkpoint written by `save` (the network sizes come from its metadata and the config). */
  async load(dir: string): Promise<void> {
    const tensor = await import('@twinforge/tensor');
    await tensor.initTensorBackend({ logger: silentLogger });
    const checkpoint = await tensor.readCheckpoint(dir);
    const meta = checkpoint.manifest.metadata as {
      learner?: unknown;
      obsDim?: unknown;
      actions?: unknown;
      episodes?: unknown;
    };
    if (meta?.learner !== 'dt-dqn' || !Number.isSafeInteger(meta.obsDim) || !Number.isSafeInteger(meta.actions)) {
      throw new TwinforgeError('CHECKPOINT_INVALID', `${dir} is not a dt-dqn checkpoint`);
    }
    const nets = this.#build(tensor, meta.obsDim as number, meta.actions as number);
    await tensor.loadWeights(dir, { q: nets.q, target: nets.target, optimizer: nets.opt.asWeightSource() });
    this.#nets = nets;
    this.#episodes = Number.isSafeInteger(meta.episodes) ? (meta.episodes as number) : 0;
  }

  async #setup(env: CoreEnv, logger: Logger): Promise<Nets> {
    const obs = env.observationSpace.toJSON() as { type?: string; shape?: number[] };
    const act = env.actionSpace.toJSON() as { type?: string; n?: number };
    if (obs.type !== 'Box' || !Array.isArray(obs.shape) || act.type !== 'Discrete' || !Number.isSafeInteger(act.n)) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `dt-dqn needs a Box observation and a Discrete action space, got ${JSON.stringify(obs)} and ${JSON.stringify(act)}`,
        { details: { fields: ['environment'] } },
      );
    }
    const obsDim = obs.shape.reduce((a, b) => a * b, 1);
    const actions = act.n as number;
    if (this.#nets) {
      if (this.#nets.obsDim !== obsDim || this.#nets.actions !== actions) {
        throw new TwinforgeError(
          'CHECKPOINT_INVALID',
          `the network is ${this.#nets.obsDim} -> ${this.#nets.actions} but this environment is ${obsDim} -> ${actions}`,
        );
      }
    } else {
      const tensor = await import('@twinforge/tensor');
      await tensor.initTensorBackend({ logger });
      this.#nets = this.#build(tensor, obsDim, actions);
    }
    if (!this.#buffer) {
      this.#buffer = new ReplayBuffer(this.config.bufferSize, obsDim, 1);
      this.#discounts = new Float32Array(this.config.bufferSize);
      this.#batch = this.#buffer.createBatch(this.config.batchSize);
    }
    return this.#nets;
  }

  #build(tensor: Tensor, obsDim: number, actions: number): Nets {
    const sizes = [obsDim, ...this.config.hidden, actions];
    // The target starts as an exact copy: the same rng stream gives the same weights.
    const q = tensor.createMlp({ sizes, name: 'q' }, this.#rng.split('q-network'));
    const target = tensor.createMlp({ sizes, name: 'q' }, this.#rng.split('q-network'));
    const opt = new tensor.Adam(q, { lr: this.config.lr, clipNorm: this.config.clipNorm });
    return { tensor, q, target, opt, obsDim, actions };
  }

  #greedy(nets: Nets, obs: Float32Array): number {
    const values = nets.q.predict(obs);
    let best = 0;
    for (let a = 1; a < values.length; a++) if ((values[a] as number) > (values[best] as number)) best = a;
    return best;
  }

  #explore(nets: Nets, obs: Float32Array): number {
    if (this.#rng.uniform() < this.epsilon) return this.#rng.int(0, nets.actions - 1);
    return this.#greedy(nets, obs);
  }

  /** A look-ahead as one transition: prefix reward and discount (the physical step's, if any), then the rollout. */
  #storeRollout(
    obs: Float32Array,
    action: number,
    prefix: number,
    weight: number,
    r: PredictionRollout<unknown>,
  ): void {
    const reward = prefix + weight * r.discountedReturn;
    const discount = weight * this.config.gamma ** r.steps;
    this.#store(obs, action, reward, r.finalObservation as Float32Array, r.terminated, discount);
  }

  #store(obs: Float32Array, action: number, reward: number, next: Float32Array, terminated: boolean, discount: number) {
    const buffer = this.#buffer as ReplayBuffer;
    const slot = buffer.add({ observation: obs, action, reward, nextObservation: next, terminated });
    (this.#discounts as Float32Array)[slot] = discount;
    this.#transitions++;
  }

  #trainRound(nets: Nets): void {
    const buffer = this.#buffer as ReplayBuffer;
    if (buffer.size < this.config.learningStarts) return;
    const { tf, huberLoss, pickActions, hardUpdate } = nets.tensor;
    const batch = this.#batch as TransitionBatch;
    const discounts = this.#discounts as Float32Array;
    const size = batch.size;
    const bootstrap = new Float32Array(size);
    const actions = new Int32Array(size);
    for (let g = 0; g < this.config.gradientSteps; g++) {
      buffer.sample(this.#rng, batch);
      for (let i = 0; i < size; i++) {
        bootstrap[i] = (discounts[batch.indices[i] as number] as number) * (1 - (batch.terminated[i] as number));
        actions[i] = batch.actions[i] as number;
      }
      const obs = tf.tensor2d(batch.observations, [size, nets.obsDim]);
      const next = tf.tensor2d(batch.nextObservations, [size, nets.obsDim]);
      const act = tf.tensor1d(actions, 'int32');
      const y = tf.tidy(() =>
        tf.add(tf.tensor1d(batch.rewards), tf.mul(tf.tensor1d(bootstrap), tf.max(nets.target.apply(next), 1))),
      );
      try {
        this.#lastLoss = nets.opt.minimize(() => huberLoss(pickActions(nets.q.apply(obs), act), y)).loss;
      } finally {
        tf.dispose([obs, next, act, y]);
      }
      this.#gradientSteps++;
      if (this.#gradientSteps % this.config.targetUpdateEvery === 0) hardUpdate(nets.target, nets.q);
    }
  }

  #createTwin(source: TwinSource, initial: TwinSnapshot) {
    const noise = this.config.twinNoise.length > 0 ? gaussianStateNoise(this.config.twinNoise) : undefined;
    return createTwin({
      name: 'dt-dqn',
      model: source.twinModel,
      initial,
      rng: this.#rng.split('twin'),
      mirrorDelay: this.config.mirrorDelay,
      ...(noise ? { forkNoise: noise } : {}),
    });
  }
}

function singleAgent(env: AnyEnv): CoreEnv {
  if (isParallelEnv(env)) {
    throw new TwinforgeError('CONFIG_INVALID', 'dt-dqn is single-agent; this environment is a ParallelEnv', {
      details: { fields: ['environment'] },
    });
  }
  return env;
}

function twinSource(env: CoreEnv): TwinSource {
  if (!isTwinSource(env)) {
    throw new TwinforgeError(
      'CONFIG_INVALID',
      'invalid learner "dt-dqn" config: trials / predictionSteps > 1 need an environment the twin can mirror ' +
        '(a TwinSource with twinModel and twinSnapshot(), such as @twinforge/plugin-env-iov); use trials: 1 otherwise',
      { details: { fields: ['trials', 'predictionSteps'] } },
    );
  }
  return env;
}
