import { TwinforgeError } from '@twinforge/core';
import { BehaviorSubject, distinctUntilChanged, map, type Observable, Subject, shareReplay } from 'rxjs';
import type { TwinChangeSource, TwinEvent } from './changes.js';
import { SnapshotDraft } from './draft.js';
import type { TwinSnapshot } from './snapshot.js';

/**
 * Immutable snapshots behind a BehaviorSubject (DESIGN.md, Twin). Every change goes through a `SnapshotDraft` and
 * produces a new snapshot; `state$` replays the current one to each subscriber and `events$` carries what each
 * commit changed.
 *
 * The subjects are created on first access: a what-if fork that nobody observes is stepped through plain field
 * updates, without a Subject or change records, which keeps `fork(n)` cheap. Once created they behave exactly as
 * eager ones would (a late `state$` subscriber still gets the current snapshot first).
 */
export class TwinStore {
  #snapshot: TwinSnapshot;
  #state: BehaviorSubject<TwinSnapshot> | undefined;
  #events: Subject<TwinEvent> | undefined;
  #disposed = false;
  readonly name: string;

  constructor(initial: TwinSnapshot, name = 'twin') {
    this.#snapshot = initial;
    this.name = name;
  }

  get snapshot(): TwinSnapshot {
    return this.#snapshot;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Current snapshot first, then every new one. Completes on dispose. */
  get state$(): Observable<TwinSnapshot> {
    this.#assertLive();
    this.#state ??= new BehaviorSubject(this.#snapshot);
    return this.#state.asObservable();
  }

  /** One event per commit with the changes it applied (hot: no replay). Completes on dispose. */
  get events$(): Observable<TwinEvent> {
    this.#assertLive();
    this.#events ??= new Subject<TwinEvent>();
    return this.#events.asObservable();
  }

  /** Whether anything is subscribed to state$ or events$ (directly or through a selector): a teardown check. */
  get observed(): boolean {
    return (this.#state?.observed ?? false) || (this.#events?.observed ?? false);
  }

  /** Whether anyone listens to events$ (drafts record changes only then). */
  get tracking(): boolean {
    return this.#events?.observed ?? false;
  }

  /**
   * A derived value as DESIGN.md prescribes: `map → distinctUntilChanged → shareReplay({ bufferSize: 1, refCount:
   * true })`. Subscribers share one subscription to `state$`, late ones get the latest value, and the upstream
   * subscription ends when the last subscriber leaves (no leak after teardown).
   */
  select<T>(project: (snapshot: TwinSnapshot) => T, compare: (a: T, b: T) => boolean = Object.is): Observable<T> {
    return this.state$.pipe(
      map(project),
      distinctUntilChanged(compare),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
  }

  /** A draft over the current snapshot, recording changes when events$ has listeners. */
  draft(): SnapshotDraft {
    this.#assertLive();
    return new SnapshotDraft(this.#snapshot, { track: this.tracking });
  }

  /** Runs `recipe` on a draft and commits it. Returns the new snapshot (or the current one when nothing changed). */
  update(source: TwinChangeSource, recipe: (draft: SnapshotDraft) => void): TwinSnapshot {
    const draft = this.draft();
    recipe(draft);
    return this.commit(draft, source);
  }

  /** Publishes a draft made from the current snapshot. A draft with no change publishes nothing. */
  commit(draft: SnapshotDraft, source: TwinChangeSource): TwinSnapshot {
    this.#assertLive();
    if (draft.base !== this.#snapshot) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `a draft of version ${draft.base.version} cannot be committed onto version ${this.#snapshot.version}: ` +
          'take a new draft after every commit',
      );
    }
    if (!draft.dirty && draft.changes.length === 0) return this.#snapshot;
    const next = draft.commit();
    this.#publish(next, source, draft.changes);
    return next;
  }

  /** Replaces the whole state (a full-state mirror or a restore); the snapshot is used as given, without a copy. */
  replace(snapshot: TwinSnapshot, source: TwinChangeSource = 'mirror'): void {
    this.#assertLive();
    const previousVersion = this.#snapshot.version;
    this.#publish(snapshot, source, this.tracking ? [{ type: 'replace', previousVersion }] : []);
  }

  /** Completes state$, events$ and through them every selector; later calls throw TWIN_DISPOSED. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#state?.complete();
    this.#events?.complete();
  }

  #publish(next: TwinSnapshot, source: TwinChangeSource, changes: TwinEvent['changes']): void {
    this.#snapshot = next;
    this.#state?.next(next);
    if (this.#events?.observed) {
      this.#events.next({ source, version: next.version, time: next.time, changes });
    }
  }

  #assertLive(): void {
    if (this.#disposed) {
      throw new TwinforgeError('TWIN_DISPOSED', `the twin store "${this.name}" was disposed; create a new twin`);
    }
  }
}
