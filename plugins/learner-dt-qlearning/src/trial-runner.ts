import type { Rng } from '@twinforge/core';
import type { DigitalTwin, DomainPolicy, PredictionRollout, TwinSnapshot } from '@twinforge/twin';
import type { DtQLearningConfig } from './config.js';
import type { QTable } from './q-table.js';
import type { TabularStates } from './tabular-states.js';
import { TwinTrials } from './twin-trials.js';

export interface TrialRunnerOptions {
  config: DtQLearningConfig;
  q: QTable;
  states: TabularStates;
  rng: Rng;
  /** Makes the twin from the first mirrored state; absent for physical Q-learning (n = 1, k = 1). */
  createTwin?: ((initial: TwinSnapshot) => DigitalTwin) | undefined;
  /** A runner of an earlier `train` call, whose counters continue. */
  previous?: TrialRunner | undefined;
}

/**
 * The tabular learner's use of the twin: the n − 1 simultaneous trials of a state become Q-targets
 * G + γ^steps·max Q(final state) (averaged over the look-aheads of each action), computed before the physical step
 * from the Q-table of that moment and applied together with the physical update.
 */
export class TrialRunner {
  readonly #config: DtQLearningConfig;
  readonly #q: QTable;
  readonly #states: TabularStates;
  readonly #trials: TwinTrials | undefined;
  readonly #greedy: DomainPolicy<unknown, unknown>;
  readonly #offset: number;
  #actions: number[] = [];
  #targets: number[] = [];

  constructor(options: TrialRunnerOptions) {
    this.#config = options.config;
    this.#q = options.q;
    this.#states = options.states;
    this.#offset = options.previous?.twinSteps ?? 0;
    const rng = options.rng;
    this.#greedy = (observation) => this.#q.greedy(this.#states.index(observation), rng);
    this.#trials = options.createTwin
      ? new TwinTrials({
          trials: options.config.trials,
          predictionSteps: options.config.predictionSteps,
          predictionRollouts: options.config.predictionRollouts,
          gamma: options.config.gamma,
          actions: options.q.actions,
          rng,
          createTwin: options.createTwin,
        })
      : undefined;
  }

  /** Model steps taken in forks, over every `train` call. */
  get twinSteps(): number {
    return this.#offset + (this.#trials?.twinSteps ?? 0);
  }

  sync(snapshot: TwinSnapshot, newEpisode: boolean): void {
    this.#trials?.sync(snapshot, newEpisode);
  }

  /** Tries n − 1 actions other than `taken` in forks and keeps their targets for `applyTrials`. */
  trials(taken: number): void {
    this.#actions = [];
    this.#targets = [];
    const rollouts = this.#trials?.others(taken, this.#greedy) ?? [];
    const sums = new Map<number, { sum: number; count: number }>();
    for (const { action, rollout } of rollouts) {
      const entry = sums.get(action) ?? { sum: 0, count: 0 };
      entry.sum += this.#target(rollout);
      entry.count++;
      sums.set(action, entry);
    }
    for (const [action, { sum, count }] of sums) {
      this.#actions.push(action);
      this.#targets.push(sum / count);
    }
  }

  /** Applies the targets of the last `trials` call to `state`. */
  applyTrials(state: number): void {
    for (let i = 0; i < this.#actions.length; i++) {
      this.#q.update(state, this.#actions[i] as number, this.#targets[i] as number, this.#config.alpha);
    }
    this.#actions = [];
    this.#targets = [];
  }

  /**
   * The value of the physical next state for the physical action's target: max Q there (k = 1), or the (k − 1)-step
   * greedy return predicted from it in the twin plus the bootstrapped tail (k > 1).
   */
  valueAfter(snapshot: TwinSnapshot, nextObservation: unknown): number {
    const k = this.#config.predictionSteps;
    if (k <= 1 || !this.#trials) return this.#q.max(this.#states.index(nextObservation));
    const rollouts = this.#trials.lookAhead(snapshot, k - 1, this.#greedy);
    return rollouts.reduce((s, r) => s + this.#target(r), 0) / rollouts.length;
  }

  dispose(): void {
    this.#trials?.dispose();
  }

  #target(r: PredictionRollout<unknown>): number {
    const tail = r.terminated ? 0 : this.#config.gamma ** r.steps * this.#q.max(this.#states.index(r.finalObservation));
    return r.discountedReturn + tail;
  }
}
