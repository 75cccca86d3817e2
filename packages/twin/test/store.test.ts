import { isTwinforgeError } from '@twinforge/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createSnapshot, selectColumn, selectValue, type TwinEvent, TwinStore } from '../src/index.js';

const initial = () =>
  createSnapshot({ entities: { nodes: { columns: { x: [0, 0], load: [0.5, 0.5] } } }, params: { n: 3 } });

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('TwinStore', () => {
  it('selectors emit the current value, then only changes, shared by every subscriber', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const store = new TwinStore(initial());
      const x1 = selectValue(store, 'nodes', 1, 'x');
      // Writes at frames 1..4: x1 = 5, x0 = 9 (x1 unchanged), x1 = 5 again (no change), x1 = 6.
      const writes = cold('-abcd|', {
        a: ['x', 1, 5],
        b: ['x', 0, 9],
        c: ['x', 1, 5],
        d: ['x', 1, 6],
      } as Record<string, [string, number, number]>);
      writes.subscribe(([col, row, v]) => store.update('api', (d) => d.set('nodes', row, col, v)));
      expectObservable(x1).toBe('ab--c', { a: 0, b: 5, c: 6 });
      expectObservable(x1, '---^').toBe('---ac', { a: 5, c: 6 });
    });
  });

  it('a column selector re-emits only when a commit wrote that column (copy-on-write identity)', () => {
    const store = new TwinStore(initial());
    const seen: unknown[] = [];
    const sub = selectColumn(store, 'nodes', 'load').subscribe((c) => seen.push(Array.from(c)));
    store.update('api', (d) => d.set('nodes', 0, 'x', 1));
    store.update('api', (d) => d.set('nodes', 0, 'load', 0.9));
    sub.unsubscribe();
    expect(seen).toEqual([
      [0.5, 0.5],
      [0.9, 0.5],
    ]);
  });

  it('events$ carries each commit with its changes and source', () => {
    const store = new TwinStore(initial());
    const events: TwinEvent[] = [];
    const sub = store.events$.subscribe((e) => events.push(e));
    store.update('telemetry', (d) => {
      d.set('nodes', 1, 'load', 0.7);
      d.time = 1.5;
    });
    store.update('calibration', (d) => d.setParam('n', 3.4));
    store.update('api', () => {}); // no change: no event
    sub.unsubscribe();
    expect(events).toEqual([
      {
        source: 'telemetry',
        version: 1,
        time: 1.5,
        changes: [
          { type: 'set', entity: 'nodes', id: 1, column: 'load', value: 0.7, previous: 0.5 },
          { type: 'time', time: 1.5, previous: 0 },
        ],
      },
      {
        source: 'calibration',
        version: 2,
        time: 1.5,
        changes: [{ type: 'param', name: 'n', value: 3.4, previous: 3 }],
      },
    ]);
  });

  it('rejects a draft taken before the last commit', () => {
    const store = new TwinStore(initial());
    const stale = store.draft();
    store.update('api', (d) => d.set('nodes', 0, 'x', 1));
    stale.set('nodes', 0, 'x', 2);
    expect(() => store.commit(stale, 'api')).toThrow(/cannot be committed/);
  });

  it('dispose completes state$, events$ and selectors; later use is TWIN_DISPOSED', () => {
    const store = new TwinStore(initial());
    const done: string[] = [];
    store.state$.subscribe({ complete: () => done.push('state') });
    store.events$.subscribe({ complete: () => done.push('events') });
    selectValue(store, 'nodes', 0, 'x').subscribe({ complete: () => done.push('selector') });
    store.dispose();
    expect(done.sort()).toEqual(['events', 'selector', 'state']);
    let code: string | undefined;
    try {
      store.update('api', () => {});
    } catch (error) {
      code = isTwinforgeError(error) ? error.code : undefined;
    }
    expect(code).toBe('TWIN_DISPOSED');
  });
});
