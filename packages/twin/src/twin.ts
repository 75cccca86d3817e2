import { type Rng, type Scenario, TwinforgeError } from '@twinforge/core';
import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import type { CalibrationHook } from './calibration.js';
import {
  DigitalDomain,
  type DomainPolicy,
  type DomainRegistry,
  type ForkOptions,
  type Prediction,
  type PredictOptions,
} from './domain.js';
import type { DomainModel } from './model.js';
import type { StateNoise } from './noise.js';
import type { TwinSnapshot } from './snapshot.js';
import { TelemetrySync } from './sync.js';
import type { SyncDecision, SyncPolicyInput, TelemetrySample } from './telemetry.js';

export interface TwinOptions<A, O> {
  model: DomainModel<A, O>;
  initial: TwinSnapshot;
  /** The twin's stream; the identical domain and every fork split from it. */
  rng: Rng;
  name?: string;
  sync?: SyncPolicyInput;
  /** Clock for lag and delayed sync (a TestScheduler in marble tests). */
  scheduler?: SchedulerLike;
  now?: () => number;
  calibration?: CalibrationHook;
  /** Noise applied to every fork unless `fork` is given its own: an imperfect twin. */
  forkNoise?: StateNoise;
  /**
   * Delayed full-state sync: the identical domain shows the state of `mirrorDelay` `mirror` calls ago (0 = now).
   * Together with `forkNoise` this is how a deliberately imperfect twin is built.
   */
  mirrorDelay?: number;
}

/**
 * The digital twin of seed 001's framework: an identical domain that mirrors the physical space (through telemetry
 * or full-state mirroring) and different domains forked from it to try actions and look ahead. Disposing the twin
 * ends its telemetry subscriptions and completes the streams of every domain it created.
 */
export class DigitalTwin<A = unknown, O = unknown> {
  readonly name: string;
  readonly identical: DigitalDomain<A, O>;
  readonly sync: TelemetrySync;
  readonly #registry: DomainRegistry = new Set();
  readonly #forkNoise: StateNoise | undefined;
  readonly #mirrorDelay: number;
  readonly #pending: TwinSnapshot[] = [];
  #disposed = false;

  constructor(options: TwinOptions<A, O>) {
    this.name = options.name ?? 'twin';
    const delay = options.mirrorDelay ?? 0;
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `mirrorDelay must be an integer >= 0, got ${delay}`);
    }
    this.#mirrorDelay = delay;
    this.#forkNoise = options.forkNoise;
    this.identical = new DigitalDomain<A, O>({
      id: `${this.name}/identical`,
      role: 'identical',
      model: options.model,
      snapshot: options.initial,
      rng: options.rng.split('identical'),
      registry: this.#registry,
    });
    this.sync = new TelemetrySync(this.identical.store, {
      ...(options.sync ? { policy: options.sync } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.calibration ? { calibration: options.calibration } : {}),
    });
  }

  get snapshot(): TwinSnapshot {
    return this.identical.snapshot;
  }

  get state$(): Observable<TwinSnapshot> {
    return this.identical.state$;
  }

  /** Live domains: the identical one plus forks not yet disposed. */
  get liveDomains(): number {
    return this.#registry.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Feeds a telemetry source into the identical domain (see TelemetrySync for the policy). */
  connect(telemetry$: Observable<TelemetrySample | readonly TelemetrySample[]>): Subscription {
    this.#assertLive();
    return this.sync.connect(telemetry$);
  }

  /** Applies a batch of telemetry now. */
  ingest(samples: readonly TelemetrySample[]): SyncDecision[] {
    this.#assertLive();
    return this.sync.ingest(samples);
  }

  /**
   * Full-state sync from a simulator standing in for the physical side: the identical domain takes `snapshot` (or,
   * with `mirrorDelay`, the one mirrored that many calls earlier). `done` marks a terminal physical state.
   */
  mirror(snapshot: TwinSnapshot, options: { done?: boolean } = {}): void {
    this.#assertLive();
    if (this.#mirrorDelay === 0) {
      this.identical.replace(snapshot, options);
      return;
    }
    this.#pending.push(snapshot);
    if (this.#pending.length > this.#mirrorDelay) {
      this.identical.replace(this.#pending.shift() as TwinSnapshot, options);
    }
  }

  /** Forgets delayed mirror states (at an episode boundary) and mirrors `snapshot` at once. */
  resync(snapshot: TwinSnapshot): void {
    this.#assertLive();
    this.#pending.length = 0;
    this.identical.replace(snapshot);
  }

  /** n different domains forked from the identical one. */
  fork(n: number, options: ForkOptions = {}): DigitalDomain<A, O>[] {
    this.#assertLive();
    const noise = options.noise ?? this.#forkNoise;
    return this.identical.fork(n, { ...options, ...(noise ? { noise } : {}) });
  }

  /** Looks k steps ahead from the identical domain's state. */
  predict(k: number, policy: DomainPolicy<A, O>, options?: PredictOptions<A>): Prediction<O> {
    this.#assertLive();
    return this.identical.predict(k, policy, options);
  }

  /** Loads a scenario into the identical domain (forks made afterwards replay the same timeline). */
  load(scenario: Scenario): void {
    this.#assertLive();
    this.identical.load(scenario);
  }

  /** Ends telemetry subscriptions and disposes every live domain. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.sync.dispose();
    for (const domain of [...this.#registry]) domain.dispose();
    this.#pending.length = 0;
  }

  #assertLive(): void {
    if (this.#disposed) throw new TwinforgeError('TWIN_DISPOSED', `twin "${this.name}" was disposed`);
  }
}

export function createTwin<A, O>(options: TwinOptions<A, O>): DigitalTwin<A, O> {
  return new DigitalTwin(options);
}
