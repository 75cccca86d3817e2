import type { Rng } from '@twinforge/core';
import type { DigitalTwin, DomainPolicy, TwinSnapshot } from '@twinforge/twin';
import type { DtQLearningConfig } from './config.js';
import type { QTable } from './q-table.js';
import type { TabularStates } from './tabular-states.js';

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
 * The digital-space side of DT-enhanced Q-learning: keeps the twin's identical domain mirrored on the physical state,
 * runs the n − 1 simultaneous trials of a state in forked domains, and predicts k-step targets there. Targets are
 * computed before the physical step (from the Q-table of that moment) and applied together with the physical update.
 */
export class TrialRunner {
  twinSteps: number;
  readonly #config: DtQLearningConfig;
  readonly #q: QTable;
  readonly #states: TabularStates;
  readonly #rng: Rng;
  readonly #createTwin: ((initial: TwinSnapshot) => DigitalTwin) | undefined;
  #twin: DigitalTwin | undefined;
  readonly #greedy: DomainPolicy<unknown, unknown>;
  readonly #actions: Int32Array;
  readonly #targets: Float64Array;
  readonly #order: Int32Array;
  #count = 0;
  #mirrored: TwinSnapshot | undefined;

  constructor(options: TrialRunnerOptions) {
    this.#config = options.config;
    this.#q = options.q;
    this.#states = options.states;
    this.#rng = options.rng;
    this.#createTwin = options.createTwin;
    this.twinSteps = options.previous?.twinSteps ?? 0;
    const n = Math.max(1, options.config.trials);
    this.#actions = new Int32Array(n);
    this.#targets = new Float64Array(n);
    this.#order = Int32Array.from({ length: options.q.actions }, (_, i) => i);
    this.#greedy = (observation) => this.#q.greedy(this.#states.index(observation), this.#rng);
  }

  /** Mirrors the physical state into the identical domain once per state (a new episode also clears any delay). */
  sync(snapshot: TwinSnapshot, newEpisode: boolean): void {
    if (!this.#twin && this.#createTwin) {
      this.#twin = this.#createTwin(snapshot);
      this.#mirrored = snapshot;
      return;
    }
    const twin = this.#twin;
    if (!twin || snapshot === this.#mirrored) return;
    if (newEpisode) twin.resync(snapshot);
    else twin.mirror(snapshot);
    this.#mirrored = snapshot;
  }

  /** Tries n − 1 actions other than `taken`, chosen uniformly without replacement, in forks of the identical domain. */
  trials(taken: number): void {
    this.#count = 0;
    const extra = this.#config.trials - 1;
    if (extra <= 0 || !this.#twin) return;
    const order = this.#order;
    // Partial Fisher-Yates over the actions except `taken` (swapped to the end first).
    const last = order.length - 1;
    const at = order.indexOf(taken);
    order[at] = order[last] as number;
    order[last] = taken;
    for (let i = 0; i < extra; i++) {
      const j = this.#rng.int(i, last - 1);
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
      const action = order[i] as number;
      this.#actions[this.#count] = action;
      this.#targets[this.#count] = this.#target(action);
      this.#count++;
    }
  }

  /** Applies the targets of the last `trials` call to `state`. */
  applyTrials(state: number): void {
    for (let i = 0; i < this.#count; i++) {
      this.#q.update(state, this.#actions[i] as number, this.#targets[i] as number, this.#config.alpha);
    }
    this.#count = 0;
  }

  /**
   * The value of the physical next state for the physical action's target: max Q there (k = 1), or the (k − 1)-step
   * greedy return predicted from it in the twin plus the bootstrapped tail (k > 1).
   */
  valueAfter(snapshot: TwinSnapshot, nextObservation: unknown): number {
    const k = this.#config.predictionSteps;
    if (k <= 1 || !this.#twin) return this.#q.max(this.#states.index(nextObservation));
    this.sync(snapshot, false);
    const forks = this.#twin.fork(this.#config.predictionRollouts, { label: 'value' });
    let sum = 0;
    for (const fork of forks) {
      const r = fork.rollout(k - 1, this.#greedy, this.#config.gamma);
      this.twinSteps += r.steps;
      sum += r.discountedReturn + (r.terminated ? 0 : this.#config.gamma ** r.steps * this.#maxQ(r.finalObservation));
      fork.dispose();
    }
    return sum / forks.length;
  }

  /** Ends the twin and every domain it forked. */
  dispose(): void {
    this.#twin?.dispose();
    this.#twin = undefined;
  }

  /** k-step target of one action from the identical domain's state, averaged over the rollouts. */
  #target(action: number): number {
    const twin = this.#twin as DigitalTwin;
    const k = this.#config.predictionSteps;
    const gamma = this.#config.gamma;
    const forks = twin.fork(this.#config.predictionRollouts, { label: 'trial' });
    let sum = 0;
    for (const fork of forks) {
      const r = fork.rollout(k, this.#greedy, gamma, action);
      this.twinSteps += r.steps;
      sum += r.discountedReturn + (r.terminated ? 0 : gamma ** r.steps * this.#maxQ(r.finalObservation));
      fork.dispose();
    }
    return sum / forks.length;
  }

  #maxQ(observation: unknown): number {
    return this.#q.max(this.#states.index(observation));
  }
}
