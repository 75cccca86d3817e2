import { createRng } from '@twinforge/core';
import { finalize, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createTwin, selectColumn, selectValue, type TelemetrySample, type TwinSnapshot } from '../src/index.js';
import { WalkerModel, walkerSnapshot } from './walker-model.js';

describe('subscription teardown', () => {
  it('leaves no live subscription after dispose: telemetry sources, selectors, state and event streams, forks', () => {
    const twin = createTwin({ model: new WalkerModel(), initial: walkerSnapshot(), rng: createRng(1) });
    const telemetry = new Subject<TelemetrySample>();
    const batches = new Subject<TelemetrySample[]>();
    twin.connect(telemetry);
    twin.connect(batches);
    expect(telemetry.observed && batches.observed).toBe(true);

    // The selectors' shared upstream subscription to state$ is tracked through finalize.
    let upstreamClosed = 0;
    const state$ = twin.state$.pipe(finalize(() => upstreamClosed++));
    const subs = [
      state$.subscribe(),
      selectValue(twin.identical.store, 'devices', 0, 'x').subscribe(),
      selectColumn(twin.identical.store, 'nodes', 'up').subscribe(),
      twin.identical.events$.subscribe(),
      twin.sync.decisions$.subscribe(),
      twin.sync.lag$.subscribe(),
    ];
    const forks = twin.fork(3);
    const forkSubs = forks.map((f) => f.state$.subscribe());
    telemetry.next({ entity: 'devices', id: 0, column: 'x', value: 3, timestamp: Date.now() / 1000 });
    expect(twin.liveDomains).toBe(4);

    twin.dispose();
    expect(telemetry.observed).toBe(false);
    expect(batches.observed).toBe(false);
    expect(subs.every((s) => s.closed)).toBe(true);
    expect(forkSubs.every((s) => s.closed)).toBe(true);
    expect(upstreamClosed).toBe(1);
    expect(twin.identical.store.observed).toBe(false);
    expect(twin.liveDomains).toBe(0);
    expect(forks.every((f) => f.disposed)).toBe(true);
  });

  it('refCount selectors release state$ when their last subscriber leaves, before any dispose', () => {
    const twin = createTwin({ model: new WalkerModel(), initial: walkerSnapshot(), rng: createRng(1) });
    let subscribed = 0;
    let released = 0;
    const counted = twin.identical.store.select((s: TwinSnapshot) => s.time);
    const tracked = counted.pipe(finalize(() => released++));
    const a = tracked.subscribe(() => subscribed++);
    const b = tracked.subscribe(() => subscribed++);
    twin.identical.step(0);
    a.unsubscribe();
    b.unsubscribe();
    expect(released).toBe(2);
    expect(subscribed).toBe(4);
    // A disposed fork leaves the twin's live set at once, so per-step trials never accumulate.
    for (let i = 0; i < 100; i++) for (const f of twin.fork(2)) f.dispose();
    expect(twin.liveDomains).toBe(1);
    twin.dispose();
  });
});
