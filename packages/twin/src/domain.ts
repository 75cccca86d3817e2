import { assertFinite, type Info, type Rng, type Scenario, TwinforgeError } from '@twinforge/core';
import type { Observable } from 'rxjs';
import type { TwinEvent } from './changes.js';
import type { SnapshotDraft } from './draft.js';
import { writeScenarioState } from './maps.js';
import type { DomainModel } from './model.js';
import type { StateNoise } from './noise.js';
import { ScenarioTimeline } from './playback.js';
import type { TwinSnapshot } from './snapshot.js';
import { TwinStore } from './store.js';

/** The identical domain mirrors the physical space; different domains fork from it and diverge on purpose. */
export type DomainRole = 'identical' | 'different';

export interface DomainStep<O> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** Chooses an action during a look-ahead; `step` counts from 0 within the rollout. */
export type DomainPolicy<A, O> = (observation: O, snapshot: TwinSnapshot, step: number) => A;

export interface ForkOptions {
  /** Perturbs each fork's copy of the state (an imperfect twin). */
  noise?: StateNoise;
  /** Names the forks in ids and rng paths (default 'fork'). */
  label?: string;
}

export interface PredictOptions<A> {
  /** Discount of the predicted rewards (default 1). */
  gamma?: number;
  /** Independent look-aheads, each in its own fork with its own randomness (default 1). */
  rollouts?: number;
  /** Take this action first, then follow the policy: the k-step value of one action. */
  firstAction?: A;
}

export interface PredictionRollout<O> {
  rewards: Float64Array;
  /** Σ γ^i r_i over the steps taken. */
  discountedReturn: number;
  /** Steps taken (fewer than k when the episode ended). */
  steps: number;
  finalObservation: O;
  finalSnapshot: TwinSnapshot;
  terminated: boolean;
  truncated: boolean;
}

export interface Prediction<O> {
  rollouts: PredictionRollout<O>[];
  /** Mean discounted return over the rollouts: seed 001's "average long-term gain of different trajectories". */
  meanReturn: number;
}

/** What a twin needs to know of its live domains (the identical one and every fork not yet disposed). */
export interface DomainHandle {
  readonly id: string;
  readonly role: DomainRole;
  dispose(): void;
}

export type DomainRegistry = Set<DomainHandle>;

export interface DomainInit<A, O> {
  id: string;
  role: DomainRole;
  model: DomainModel<A, O>;
  snapshot: TwinSnapshot;
  rng: Rng;
  timeline?: ScenarioTimeline | undefined;
  registry?: DomainRegistry;
  done?: boolean;
}

/**
 * A digital domain: a model, a state store and a random stream. It steps like an environment, forks into
 * independent what-if copies, looks ahead with `predict`, and replays scenario timelines.
 *
 * Independence of forks comes from the data structure, not from discipline: snapshots are immutable, every write
 * goes through a copy-on-write draft, and each fork has its own `Rng` split. A fork therefore costs a few object
 * allocations (it shares every column with its parent until it writes one), and nothing a fork does can reach its
 * parent, its siblings or the identical domain.
 */
export class DigitalDomain<A = unknown, O = unknown> {
  readonly id: string;
  readonly role: DomainRole;
  readonly model: DomainModel<A, O>;
  readonly store: TwinStore;
  readonly #rng: Rng;
  readonly #registry: DomainRegistry;
  #timeline: ScenarioTimeline | undefined;
  #forks = 0;
  #done: boolean;

  constructor(init: DomainInit<A, O>) {
    this.id = init.id;
    this.role = init.role;
    this.model = init.model;
    this.store = new TwinStore(init.snapshot, init.id);
    this.#rng = init.rng;
    this.#timeline = init.timeline;
    this.#done = init.done ?? false;
    this.#registry = init.registry ?? new Set();
    this.#registry.add(this);
  }

  get snapshot(): TwinSnapshot {
    return this.store.snapshot;
  }

  get state$(): Observable<TwinSnapshot> {
    return this.store.state$;
  }

  get events$(): Observable<TwinEvent> {
    return this.store.events$;
  }

  get disposed(): boolean {
    return this.store.disposed;
  }

  /** True after a step ended the episode; stepping again needs `replace` (a new state) first. */
  get done(): boolean {
    return this.#done;
  }

  /** Scenario events still to fire. */
  get pendingEvents(): number {
    return this.#timeline?.pending ?? 0;
  }

  observe(): O {
    return this.model.observe(this.snapshot);
  }

  /** Applies `action` through the model, then fires the scenario events that have come due. */
  step(action: A): DomainStep<O> {
    this.#assertLive();
    if (this.#done) {
      throw new TwinforgeError(
        'ENV_NOT_RESET',
        `domain ${this.id} reached the end of its episode; replace its state before stepping again`,
      );
    }
    if (this.model.isValidAction && !this.model.isValidAction(action)) {
      throw new TwinforgeError('ENV_INVALID_ACTION', `domain ${this.id}: invalid action ${String(action)}`);
    }
    const draft = this.store.draft();
    const outcome = this.model.step(draft, action, this.#rng);
    assertFinite(outcome.reward, `reward of domain ${this.id}`);
    this.#fireDue(draft);
    const snapshot = this.store.commit(draft, 'step');
    const truncated = outcome.truncated ?? false;
    this.#done = outcome.terminated || truncated;
    return {
      observation: this.model.observe(snapshot),
      reward: outcome.reward,
      terminated: outcome.terminated,
      truncated,
      info: outcome.info ?? {},
    };
  }

  /**
   * n independent copies of the current state, each with its own random stream (and its own noisy copy of the
   * state when `noise` is given), the same pending scenario events, and the role 'different'.
   */
  fork(n: number, options: ForkOptions = {}): DigitalDomain<A, O>[] {
    this.#assertLive();
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `fork(n) needs an integer n >= 0, got ${n}`);
    }
    const label = options.label ?? 'fork';
    const generation = this.#forks++;
    const out: DigitalDomain<A, O>[] = [];
    for (let i = 0; i < n; i++) {
      const name = `${label}${generation}.${i}`;
      const rng = this.#rng.split(name);
      const snapshot = options.noise ? options.noise.apply(this.snapshot, rng.split('noise')) : this.snapshot;
      out.push(
        new DigitalDomain<A, O>({
          id: `${this.id}/${name}`,
          role: 'different',
          model: this.model,
          snapshot,
          rng,
          timeline: this.#timeline?.clone(),
          registry: this.#registry,
          done: this.#done,
        }),
      );
    }
    return out;
  }

  /**
   * Rolls k steps ahead under `policy` in throw-away forks and reports what happened; this domain is not touched.
   * With `rollouts` > 1 the look-aheads differ in their random draws and `meanReturn` averages them.
   */
  predict(k: number, policy: DomainPolicy<A, O>, options: PredictOptions<A> = {}): Prediction<O> {
    if (!Number.isSafeInteger(k) || k < 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `predict(k) needs an integer k >= 0, got ${k}`);
    }
    const gamma = options.gamma ?? 1;
    if (!(gamma >= 0 && gamma <= 1)) throw new TwinforgeError('INVALID_ARGUMENT', `gamma must be in [0, 1]`);
    const forks = this.fork(options.rollouts ?? 1, { label: 'predict' });
    if (forks.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'predict needs rollouts >= 1');
    try {
      const rollouts = forks.map((f) => f.rollout(k, policy, gamma, options.firstAction));
      return { rollouts, meanReturn: rollouts.reduce((s, r) => s + r.discountedReturn, 0) / rollouts.length };
    } finally {
      for (const f of forks) f.dispose();
    }
  }

  /**
   * Steps this domain itself up to k times (the in-place form of `predict`, for a fork the caller owns and will
   * dispose): the first action is `firstAction` when given, then the policy's.
   */
  rollout(k: number, policy: DomainPolicy<A, O>, gamma = 1, firstAction?: A): PredictionRollout<O> {
    const rewards = new Float64Array(k);
    let observation = this.observe();
    let discounted = 0;
    let weight = 1;
    let steps = 0;
    let terminated = false;
    let truncated = false;
    while (steps < k && !this.#done) {
      const action = steps === 0 && firstAction !== undefined ? firstAction : policy(observation, this.snapshot, steps);
      const r = this.step(action);
      rewards[steps] = r.reward;
      discounted += weight * r.reward;
      weight *= gamma;
      steps++;
      observation = r.observation;
      terminated = r.terminated;
      truncated = r.truncated;
    }
    return {
      rewards: rewards.subarray(0, steps),
      discountedReturn: discounted,
      steps,
      finalObservation: observation,
      finalSnapshot: this.snapshot,
      terminated,
      truncated,
    };
  }

  /** Replaces the state (a mirror of the physical side, or a restore); the domain may step again. */
  replace(snapshot: TwinSnapshot, options: { done?: boolean } = {}): void {
    this.#assertLive();
    this.store.replace(snapshot, 'mirror');
    this.#done = options.done ?? false;
  }

  /**
   * Loads a scenario: its maps and numeric params go into the state (see `writeScenarioState`), and its event
   * timeline fires as the domain steps (events already due fire now). An event kind the model does not support is a
   * SCENARIO_UNSUPPORTED_EVENT error, raised before anything changes.
   */
  load(scenario: Scenario): void {
    this.#assertLive();
    const supported = this.model.supportedEvents ?? [];
    const timeline = new ScenarioTimeline(scenario, supported);
    if (scenario.events.length > 0 && !this.model.applyEvent) {
      throw new TwinforgeError('INVALID_ARGUMENT', `the model of domain ${this.id} lists events but has no applyEvent`);
    }
    this.#timeline = timeline;
    this.store.update('scenario', (draft) => {
      writeScenarioState(draft, scenario);
      this.#fireDue(draft);
    });
  }

  /** Completes this domain's streams and removes it from its twin's live set. Idempotent. */
  dispose(): void {
    if (this.store.disposed) return;
    this.store.dispose();
    this.#registry.delete(this);
  }

  #fireDue(draft: SnapshotDraft): void {
    if (!this.#timeline || this.#timeline.pending === 0) return;
    for (const event of this.#timeline.due(draft.time)) {
      this.model.applyEvent?.(draft, event);
      draft.noteEvent(event);
    }
  }

  #assertLive(): void {
    if (this.store.disposed) {
      throw new TwinforgeError('TWIN_DISPOSED', `domain ${this.id} was disposed`);
    }
  }
}
