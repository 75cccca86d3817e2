import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  createSnapshot,
  type SyncPolicyInput,
  selectValue,
  type TelemetrySample,
  TelemetrySync,
  type TwinEvent,
  TwinStore,
} from '../src/index.js';

// Marble tests of the outer loop. One frame is 1 ms of scheduler time; sample timestamps are seconds on the same
// clock (sync's now = scheduler.now() / 1000), so a sample stamped 0.004 that arrives at frame 8 lags by 4 ms.

function setup(policy: SyncPolicyInput, scheduler: TestScheduler) {
  const store = new TwinStore(
    createSnapshot({ entities: { devices: { ids: [0, 1], columns: { x: [0, 0], rssi: [-90, -90] } } } }),
  );
  const sync = new TelemetrySync(store, { policy, scheduler });
  return { store, sync };
}

const sample = (id: number, value: number, timestamp: number, column = 'x'): TelemetrySample => ({
  entity: 'devices',
  id,
  column,
  value,
  timestamp,
});

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('TelemetrySync (marble)', () => {
  it('out-of-order: last writer wins by timestamp, not by arrival', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const { store, sync } = setup({ allowedLateness_s: 1 }, ts);
      // b (t=0.003) arrives before c (t=0.002) for the same field: c must not overwrite b.
      // d is as old as c but for another entity: within the lateness bound, so it applies.
      const source = cold('-abcd', {
        a: sample(0, 1, 0.001),
        b: sample(0, 3, 0.003),
        c: sample(0, 2, 0.002),
        d: sample(1, 7, 0.002),
      });
      const outcome = sync.decisions$.pipe(map((d) => (d.accepted ? 'ok' : d.reason)));
      expectObservable(outcome).toBe('-abcd', { a: 'ok', b: 'ok', c: 'superseded', d: 'ok' });
      expectObservable(selectValue(store, 'devices', 0, 'x')).toBe('abc', { a: 0, b: 1, c: 3 });
      expectObservable(selectValue(store, 'devices', 1, 'x')).toBe('a---b', { a: 0, b: 7 });
      sync.connect(source);
    });
  });

  it('stale: samples older than the watermark are rejected even for untouched fields', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const { store, sync } = setup({ allowedLateness_s: 0.005 }, ts);
      // After a (t=0.010) the watermark is 0.005: b (t=0.003) is stale, c (t=0.006) is not.
      const source = cold('-abc', { a: sample(0, 1, 0.01), b: sample(1, 5, 0.003), c: sample(1, 6, 0.006) });
      expectObservable(sync.decisions$.pipe(map((d) => (d.accepted ? 'ok' : d.reason)))).toBe('-abc', {
        a: 'ok',
        b: 'stale',
        c: 'ok',
      });
      expectObservable(selectValue(store, 'devices', 1, 'x')).toBe('a--c', { a: 0, c: 6 });
      sync.connect(source);
    });
    expect(setup({}, ts).sync.watermark).toBe(Number.NEGATIVE_INFINITY);
  });

  it('lag: measures arrival lag and rejects samples later than maxLag_s', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const { store, sync } = setup({ allowedLateness_s: 1, maxLag_s: 0.005 }, ts);
      // a arrives at 8 ms stamped 4 ms (lag 4 ms); b arrives at 20 ms stamped 10 ms (lag 10 ms > 5 ms).
      const source = cold('8ms a 11ms b', { a: sample(0, 1, 0.004), b: sample(0, 2, 0.01) });
      expectObservable(sync.lag$.pipe(map((l) => Math.round(l * 1000)))).toBe('8ms a', { a: 4 });
      expectObservable(sync.rejected$.pipe(map((d) => `${d.reason}:${Math.round(d.lag_s * 1000)}`))).toBe('20ms b', {
        b: 'late:10',
      });
      expectObservable(selectValue(store, 'devices', 0, 'x')).toBe('a 7ms b', { a: 0, b: 1 });
      sync.connect(source);
    });
  });

  it('delayed sync applies accepted samples delay_s after arrival', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const { store, sync } = setup({ delay_s: 0.003 }, ts);
      sync.connect(cold('-a', { a: sample(0, 4, 0) }));
      expectObservable(selectValue(store, 'devices', 0, 'x')).toBe('a---b', { a: 0, b: 4 });
    });
  });

  it('a batch is one commit; unknown entities and non-finite values are rejected, not thrown', () => {
    const { store, sync } = setup({}, scheduler());
    const events: TwinEvent[] = [];
    store.events$.subscribe((e) => events.push(e));
    const decisions = sync.ingest([
      sample(0, 1, 0),
      sample(1, -60, 0, 'rssi'),
      sample(5, 1, 0),
      { ...sample(0, 1, 0), entity: 'links' },
      sample(0, 1, 0, 'height'),
      sample(1, Number.NaN, 0),
    ]);
    expect(decisions.map((d) => d.reason ?? 'ok')).toEqual([
      'ok',
      'ok',
      'unknown-entity',
      'unknown-entity',
      'unknown-entity',
      'invalid',
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toHaveLength(2);
    expect(sync.stats.accepted).toBe(2);
    expect(sync.stats.rejected['unknown-entity']).toBe(3);
  });
});
