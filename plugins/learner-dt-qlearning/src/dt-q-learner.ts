import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ActOptions,
  type AnyEnv,
  type CoreEnv,
  isParallelEnv,
  type Learner,
  type Policy,
  type Rng,
  runEpisodes,
  type TrainContext,
  type TrainEvent,
  type Transition,
  TwinforgeError,
  validateConfig,
} from '@twinforge/core';
import {
  createTwin,
  type DigitalTwin,
  gaussianStateNoise,
  isTwinSource,
  type TwinSnapshot,
  type TwinSource,
} from '@twinforge/twin';
import { defer, finalize, type Observable } from 'rxjs';
import { type DtQLearningConfig, type DtQLearningConfigInput, dtQLearningConfigSchema } from './config.js';
import { QTable } from './q-table.js';
import { TabularStates } from './tabular-states.js';
import { TrialRunner } from './trial-runner.js';

const CHECKPOINT_FILE = 'dt-qlearning.json';
const CHECKPOINT_FORMAT = 'twinforge.dt-qlearning/1';

export interface DtQStats {
  /** Training episodes completed (ε follows this count). */
  episodes: number;
  physicalSteps: number;
  /** Model steps taken in forked domains (trials and look-aheads). */
  twinSteps: number;
  epsilon: number;
}

/**
 * DT-enhanced tabular Q-learning (seed 001 §II-B and §IV-A). The physical agent acts ε-greedily in the environment
 * exactly as physical Q-learning does; at every state, before it acts, the twin mirrors the physical state and n − 1
 * different domains forked from it each try one other action (simultaneous trials), so n actions of the same state
 * are learned from per physical step. With k > 1, every evaluated action's target is predicted k steps ahead in its
 * domain under the greedy policy. n = 1, k = 1 never touches a twin and is plain physical Q-learning.
 */
export class DtQLearner implements Learner {
  readonly config: DtQLearningConfig;
  readonly #rng: Rng;
  #q: QTable | undefined;
  #states: TabularStates | undefined;
  #episodes = 0;
  #physicalSteps = 0;
  #runner: TrialRunner | undefined;

  constructor(config: DtQLearningConfigInput | DtQLearningConfig, rng: Rng) {
    this.config = validateConfig(dtQLearningConfigSchema, config, 'learner "dt-qlearning" config');
    this.#rng = rng;
  }

  /** ε of the current training episode. */
  get epsilon(): number {
    const e = this.config.epsilon;
    return Math.max(e.end, e.start * e.decay ** this.#episodes);
  }

  get qTable(): QTable | undefined {
    return this.#q;
  }

  get stats(): DtQStats {
    return {
      episodes: this.#episodes,
      physicalSteps: this.#physicalSteps,
      twinSteps: this.#runner?.twinSteps ?? 0,
      epsilon: this.epsilon,
    };
  }

  /** Trains on `ctx.env` for `ctx.episodes` episodes; the Q-table carries over between calls. */
  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => {
      const env = singleAgent(ctx.env);
      this.#prepare(env);
      const q = this.#q as QTable;
      const states = this.#states as TabularStates;
      const twinned = this.#needsTwin() ? this.#twinSource(env) : undefined;
      const runner = new TrialRunner({
        config: this.config,
        q,
        states,
        rng: this.#rng,
        createTwin: twinned ? (initial) => this.#createTwin(twinned, initial) : undefined,
        previous: this.#runner,
      });
      this.#runner = runner;
      const gamma = this.config.gamma;
      let pending: { state: number; action: number } | undefined;
      let newEpisode = true;
      const snapshot = (): TwinSnapshot | undefined => twinned?.twinSnapshot();
      const policy: Policy = {
        act: (observation) => {
          const state = states.index(observation);
          const action = this.#explore(q, state);
          const current = snapshot();
          if (current) runner.sync(current, newEpisode);
          newEpisode = false;
          runner.trials(action);
          pending = { state, action };
          return action;
        },
      };
      const onTransition = (t: Transition) => {
        const taken = pending;
        if (!taken) throw new TwinforgeError('LEARNER_FAILED', 'a transition arrived without a preceding action');
        pending = undefined;
        this.#physicalSteps++;
        let next = 0;
        if (!t.terminated) {
          const after = snapshot();
          next = after ? runner.valueAfter(after, t.nextObservation) : q.max(states.index(t.nextObservation));
        }
        q.update(taken.state, taken.action, t.reward + gamma * next, this.config.alpha);
        runner.applyTrials(taken.state);
        if (t.terminated || t.truncated) newEpisode = true;
      };
      return runEpisodes(ctx, policy, {
        onTransition,
        onEpisodeEnd: () => {
          this.#episodes++;
          return { epsilon: this.epsilon, twinSteps: runner.twinSteps };
        },
      }).pipe(finalize(() => runner.dispose()));
    });
  }

  /** ε-greedy with `explore`, greedy (lowest index on ties, so evaluation is deterministic) without. */
  policy(): Policy {
    return {
      act: (observation: unknown, options: ActOptions) => {
        const q = this.#q;
        const states = this.#states;
        if (!q || !states) {
          throw new TwinforgeError('LEARNER_FAILED', 'dt-qlearning has no Q-table yet: train() or load() first');
        }
        const state = states.index(observation);
        return options.explore ? this.#explore(q, state) : q.greedy(state);
      },
    };
  }

  async save(dir: string): Promise<void> {
    const q = this.#q;
    if (!q) throw new TwinforgeError('LEARNER_FAILED', 'nothing to save: the learner has not trained');
    await mkdir(dir, { recursive: true });
    const body = {
      format: CHECKPOINT_FORMAT,
      config: this.config,
      states: q.states,
      actions: q.actions,
      episodes: this.#episodes,
      q: Array.from(q.values),
    };
    await writeFile(join(dir, CHECKPOINT_FILE), JSON.stringify(body));
  }

  /** Restores a Q-table saved by `save`; the observation binning is rebuilt on the next `train` or from `bindTo`. */
  async load(dir: string): Promise<void> {
    let body: { format?: unknown; states?: unknown; actions?: unknown; episodes?: unknown; q?: unknown };
    try {
      body = JSON.parse(await readFile(join(dir, CHECKPOINT_FILE), 'utf8'));
    } catch (cause) {
      throw new TwinforgeError('CHECKPOINT_INVALID', `cannot read ${join(dir, CHECKPOINT_FILE)}: ${String(cause)}`, {
        cause,
      });
    }
    const { states, actions, q } = body;
    if (
      body.format !== CHECKPOINT_FORMAT ||
      !Number.isSafeInteger(states) ||
      !Number.isSafeInteger(actions) ||
      !Array.isArray(q) ||
      q.length !== (states as number) * (actions as number) ||
      !q.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new TwinforgeError('CHECKPOINT_INVALID', `${CHECKPOINT_FILE} is not a ${CHECKPOINT_FORMAT} Q-table`);
    }
    const table = new QTable(states as number, actions as number);
    table.values.set(q as number[]);
    this.#q = table;
    this.#episodes = Number.isSafeInteger(body.episodes) ? (body.episodes as number) : 0;
  }

  /** Builds the observation binning for an environment (needed before `policy()` after a `load`). */
  bindTo(env: AnyEnv): void {
    this.#prepare(singleAgent(env));
  }

  #explore(q: QTable, state: number): number {
    if (this.#rng.uniform() < this.epsilon) return this.#rng.int(0, q.actions - 1);
    return q.greedy(state, this.#rng);
  }

  #needsTwin(): boolean {
    return this.config.trials > 1 || this.config.predictionSteps > 1;
  }

  #prepare(env: CoreEnv): void {
    const json = env.actionSpace.toJSON() as { type?: string; n?: number };
    if (json.type !== 'Discrete' || !Number.isSafeInteger(json.n)) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `tabular Q-learning needs a Discrete action space, got ${JSON.stringify(json)}`,
        {
          details: { fields: ['actionSpace'] },
        },
      );
    }
    const actions = json.n as number;
    if (this.config.trials > actions) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `invalid learner "dt-qlearning" config: trials: ${this.config.trials} trials per state but the environment has ${actions} actions`,
        { details: { fields: ['trials'] } },
      );
    }
    const states = new TabularStates(env.observationSpace, this.config.bins);
    this.#states = states;
    const q = this.#q;
    if (q && (q.states !== states.count || q.actions !== actions)) {
      throw new TwinforgeError(
        'CHECKPOINT_INVALID',
        `the Q-table is ${q.states} x ${q.actions} but this environment and binning give ${states.count} x ${actions}`,
      );
    }
    this.#q ??= new QTable(states.count, actions, this.config.qInit);
  }

  #twinSource(env: CoreEnv): TwinSource {
    if (!isTwinSource(env)) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        'invalid learner "dt-qlearning" config: trials / predictionSteps > 1 need an environment the twin can mirror ' +
          '(a TwinSource with twinModel and twinSnapshot(), such as @twinforge/plugin-env-iov); use trials: 1 otherwise',
        { details: { fields: ['trials', 'predictionSteps'] } },
      );
    }
    return env;
  }

  #createTwin(env: TwinSource, initial: TwinSnapshot): DigitalTwin {
    const noise = this.config.twinNoise.length > 0 ? gaussianStateNoise(this.config.twinNoise) : undefined;
    return createTwin({
      name: 'dt-qlearning',
      model: env.twinModel,
      initial,
      rng: this.#rng.split('twin'),
      mirrorDelay: this.config.mirrorDelay,
      ...(noise ? { forkNoise: noise } : {}),
    });
  }
}

function singleAgent(env: AnyEnv): CoreEnv {
  if (isParallelEnv(env)) {
    throw new TwinforgeError('CONFIG_INVALID', 'dt-qlearning is single-agent; this environment is a ParallelEnv', {
      details: { fields: ['environment'] },
    });
  }
  return env;
}
