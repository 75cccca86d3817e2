import { TwinforgeError, validateConfig } from '@twinforge/core';
import { asyncScheduler, delay, filter, map, type Observable, type SchedulerLike, Subject, Subscription } from 'rxjs';
import type { CalibrationHook } from './calibration.js';
import { type EntityTable, rowOf } from './snapshot.js';
import type { TwinStore } from './store.js';
import {
  REJECT_REASONS,
  type RejectReason,
  type SyncDecision,
  type SyncPolicy,
  type SyncPolicyInput,
  syncPolicySchema,
  type TelemetrySample,
} from './telemetry.js';

export interface TelemetrySyncOptions {
  policy?: SyncPolicyInput;
  /** Time source for lag and for delayed sync; a TestScheduler in marble tests. Default: asyncScheduler. */
  scheduler?: SchedulerLike;
  /** Current time in seconds on the telemetry clock. Default: `scheduler.now() / 1000`. */
  now?: () => number;
  /** Adjusts model parameters from what each applied batch shows (e.g. a path-loss exponent). */
  calibration?: CalibrationHook;
}

export interface SyncStats {
  accepted: number;
  rejected: Record<RejectReason, number>;
  /** Largest and mean arrival lag of accepted samples, seconds. */
  maxLag_s: number;
  meanLag_s: number;
}

/** Per field, the timestamp of the sample it holds; keyed by the ids array it was built for. */
interface KindClock {
  ids: object;
  columns: Map<string, Float64Array>;
}

/**
 * The outer loop of the twin: telemetry Observables in, snapshots out. Each sample is decided on arrival:
 * - `invalid` / `unknown-entity`: dropped with a reason (a sensor the twin does not model must not crash it);
 * - `late`: arrival lag above `maxLag_s`;
 * - `stale`: timestamp below the watermark (newest accepted timestamp − `allowedLateness_s`);
 * - `superseded`: the field already holds a sample with a newer timestamp (last writer wins by timestamp, so an
 *   out-of-order arrival never overwrites fresher data; an equal timestamp counts as newer: the later arrival wins).
 * Accepted samples of one emission (a sample or an array of them) are applied as one commit, optionally after
 * `delay_s` (delayed sync), and then shown to the calibration hook, whose parameter updates are a second commit.
 */
export class TelemetrySync {
  readonly policy: SyncPolicy;
  readonly #store: TwinStore;
  readonly #scheduler: SchedulerLike;
  readonly #now: () => number;
  readonly #calibration: CalibrationHook | undefined;
  readonly #decisions = new Subject<SyncDecision>();
  readonly #subscriptions = new Subscription();
  readonly #clocks = new Map<string, KindClock>();
  #newest = Number.NEGATIVE_INFINITY;
  #disposed = false;
  #accepted = 0;
  #lagSum = 0;
  #maxLag = 0;
  readonly #rejected: Record<RejectReason, number> = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<
    RejectReason,
    number
  >;

  constructor(store: TwinStore, options: TelemetrySyncOptions = {}) {
    this.policy = validateConfig(syncPolicySchema, options.policy ?? {}, 'sync policy');
    this.#store = store;
    this.#scheduler = options.scheduler ?? asyncScheduler;
    const scheduler = this.#scheduler;
    this.#now = options.now ?? (() => scheduler.now() / 1000);
    this.#calibration = options.calibration;
  }

  /** Every decision, accepted or not. */
  get decisions$(): Observable<SyncDecision> {
    return this.#decisions.asObservable();
  }

  get accepted$(): Observable<TelemetrySample> {
    return this.#decisions.pipe(
      filter((d) => d.accepted),
      map((d) => d.sample),
    );
  }

  get rejected$(): Observable<SyncDecision> {
    return this.#decisions.pipe(filter((d) => !d.accepted));
  }

  /** Arrival lag (s) of each accepted sample: how far the twin trails the physical side. */
  get lag$(): Observable<number> {
    return this.#decisions.pipe(
      filter((d) => d.accepted),
      map((d) => d.lag_s),
    );
  }

  /** Samples with a timestamp below this are stale. */
  get watermark(): number {
    return this.#newest - this.policy.allowedLateness_s;
  }

  get stats(): SyncStats {
    return {
      accepted: this.#accepted,
      rejected: { ...this.#rejected },
      maxLag_s: this.#maxLag,
      meanLag_s: this.#accepted > 0 ? this.#lagSum / this.#accepted : 0,
    };
  }

  /**
   * Subscribes to a telemetry source; each emission (one sample or a batch) is decided and its accepted samples
   * applied together. The subscription is owned by this sync and ends on `dispose()`.
   */
  connect(source$: Observable<TelemetrySample | readonly TelemetrySample[]>): Subscription {
    this.#assertLive();
    const delayMs = this.policy.delay_s * 1000;
    let accepted$ = source$.pipe(
      map((batch) => this.#decideAll(isBatch(batch) ? batch : [batch])),
      filter((samples) => samples.length > 0),
    );
    if (delayMs > 0) accepted$ = accepted$.pipe(delay(delayMs, this.#scheduler));
    const subscription = accepted$.subscribe({
      next: (samples) => this.#apply(samples),
      error: (error: unknown) => this.#decisions.error(error),
    });
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Decides and applies a batch now, ignoring `delay_s` (the synchronous path for simulators and benchmarks).
   * Returns the decisions in input order.
   */
  ingest(samples: readonly TelemetrySample[]): SyncDecision[] {
    this.#assertLive();
    const out: SyncDecision[] = [];
    const accepted = this.#decideAll(samples, out);
    if (accepted.length > 0) this.#apply(accepted);
    return out;
  }

  /** Ends every connected source and completes the decision streams. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#subscriptions.unsubscribe();
    this.#decisions.complete();
  }

  #decideAll(samples: readonly TelemetrySample[], out?: SyncDecision[]): TelemetrySample[] {
    const now = this.#now();
    const accepted: TelemetrySample[] = [];
    const notify = this.#decisions.observed;
    for (const sample of samples) {
      const lag = now - sample.timestamp;
      const reason = this.#decide(sample, lag);
      if (reason === undefined) {
        accepted.push(sample);
        this.#accepted++;
        this.#lagSum += lag;
        if (lag > this.#maxLag) this.#maxLag = lag;
      } else {
        this.#rejected[reason]++;
      }
      if (notify || out) {
        const decision: SyncDecision =
          reason === undefined
            ? { sample, accepted: true, lag_s: lag }
            : { sample, accepted: false, reason, lag_s: lag };
        out?.push(decision);
        if (notify) this.#decisions.next(decision);
      }
    }
    return accepted;
  }

  #decide(sample: TelemetrySample, lag: number): RejectReason | undefined {
    if (!Number.isFinite(sample.value) || !Number.isFinite(sample.timestamp)) return 'invalid';
    const snapshot = this.#store.snapshot;
    const table = snapshot.entities[sample.entity];
    if (!table || !(sample.column in table.columns)) return 'unknown-entity';
    const row = rowOf(table, sample.id);
    if (row < 0) return 'unknown-entity';
    if (this.policy.maxLag_s !== undefined && lag > this.policy.maxLag_s) return 'late';
    if (sample.timestamp < this.watermark) return 'stale';
    const clock = this.#clockOf(sample.entity, table.ids, sample.column);
    if (sample.timestamp < (clock[row] as number)) return 'superseded';
    clock[row] = sample.timestamp;
    if (sample.timestamp > this.#newest) this.#newest = sample.timestamp;
    return undefined;
  }

  #clockOf(kind: string, ids: EntityTable['ids'], column: string): Float64Array {
    let clock = this.#clocks.get(kind);
    // Entities added or removed (new ids array): start the field clocks afresh for that kind.
    if (!clock || clock.ids !== ids) {
      clock = { ids, columns: new Map() };
      this.#clocks.set(kind, clock);
    }
    let times = clock.columns.get(column);
    if (!times) {
      times = new Float64Array(ids.length).fill(Number.NEGATIVE_INFINITY);
      clock.columns.set(column, times);
    }
    return times;
  }

  #apply(samples: readonly TelemetrySample[]): void {
    if (this.#store.disposed) return;
    this.#store.update('telemetry', (draft) => {
      for (const s of samples) {
        // Entities may have been replaced since the decision (delayed sync): look the row up again.
        const table = draft.table(s.entity);
        const row = rowOf(table, s.id);
        if (row >= 0 && s.column in table.columns) draft.set(s.entity, row, s.column, s.value);
      }
    });
    const updates = this.#calibration?.observe(samples, this.#store.snapshot);
    if (updates && Object.keys(updates).length > 0) {
      this.#store.update('calibration', (draft) => {
        for (const [name, value] of Object.entries(updates)) draft.setParam(name, value);
      });
    }
  }

  #assertLive(): void {
    if (this.#disposed) {
      throw new TwinforgeError('TWIN_DISPOSED', 'this telemetry sync was disposed');
    }
  }
}

function isBatch(value: TelemetrySample | readonly TelemetrySample[]): value is readonly TelemetrySample[] {
  return Array.isArray(value);
}
