import { createRng, isTwinforgeError, type Scenario, type ScenarioEvent } from '@twinforge/core';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  createTwin,
  entityValue,
  mapOf,
  mapValueAt,
  scenarioEvents$,
  snapshotFromJSON,
  snapshotToJSON,
  type TwinEvent,
} from '../src/index.js';
import { WalkerModel, walkerSnapshot } from './walker-model.js';

const scenario = (events: ScenarioEvent[]): Scenario => ({
  id: 'sc-1',
  seed: 1,
  params: {},
  events,
  provenance: { generator: 'test' },
});

describe('scenario playback in a domain', () => {
  it('fires events at their times as the domain steps, also in forks made before the event', () => {
    const twin = createTwin({ model: new WalkerModel(), initial: walkerSnapshot(4, 2, 100), rng: createRng(1) });
    const fired: TwinEvent[] = [];
    twin.identical.events$.subscribe((e) => fired.push(e));
    twin.load(
      scenario([
        { kind: 'node-fail', t: 0, node: 1 },
        { kind: 'node-fail', t: 2.5, node: 0 },
        { kind: 'node-recover', t: 4, node: 1 },
      ]),
    );
    const up = () => [0, 1].map((n) => entityValue(twin.snapshot, 'nodes', n, 'up'));
    expect(up()).toEqual([1, 0]); // the t = 0 event fired on load
    const [fork] = twin.fork(1);
    twin.identical.step(0); // t = 1
    twin.identical.step(0); // t = 2
    expect(up()).toEqual([1, 0]);
    twin.identical.step(0); // t = 3: the 2.5 s event has come due
    expect(up()).toEqual([0, 0]);
    twin.identical.step(0);
    expect(up()).toEqual([0, 1]);
    expect(twin.identical.pendingEvents).toBe(0);
    // The fork replays the same timeline on its own clock.
    expect(fork?.pendingEvents).toBe(2);
    for (let i = 0; i < 3; i++) fork?.step(0);
    expect(entityValue(fork?.snapshot as never, 'nodes', 0, 'up')).toBe(0);
    const kinds = fired.flatMap((e) => e.changes.filter((c) => c.type === 'scenario-event').map(() => e.source));
    expect(kinds).toEqual(['scenario', 'step', 'step']);
    twin.dispose();
  });

  it('an unsupported event kind is SCENARIO_UNSUPPORTED_EVENT, never dropped', () => {
    const twin = createTwin({ model: new WalkerModel(), initial: walkerSnapshot(), rng: createRng(1) });
    let code: string | undefined;
    try {
      twin.load(
        scenario([
          { kind: 'jammer-on', t: 1, jammer: 0, position: { x: 0, y: 0 }, radius_m: 10, power_W: 1, channel: 0 },
        ]),
      );
    } catch (error) {
      code = isTwinforgeError(error) ? error.code : undefined;
    }
    expect(code).toBe('SCENARIO_UNSUPPORTED_EVENT');
    expect(twin.identical.pendingEvents).toBe(0);
    twin.dispose();
  });
});

describe('scenario maps and params', () => {
  it('load puts maps and numeric params into the state, where forks and serialisation carry them', () => {
    const twin = createTwin({ model: new WalkerModel(), initial: walkerSnapshot(), rng: createRng(1) });
    const data = Float32Array.from({ length: 6 }, (_, i) => -90 + i);
    twin.load({
      ...scenario([]),
      params: { jammers: 2, load: 0.8, label: 'x' },
      maps: { interference: { width: 3, height: 2, cellSize_m: 10, unit: 'dBm', data } },
    });
    const grid = mapOf(twin.snapshot, 'interference');
    expect([grid.width, grid.height, grid.cellSize_m]).toEqual([3, 2, 10]);
    expect(Array.from(grid.data)).toEqual(Array.from(data));
    expect(mapValueAt(twin.snapshot, 'interference', 25, 15)).toBe(-85); // cell (2, 1)
    expect(twin.snapshot.params['scenario.jammers']).toBe(2);
    expect(twin.snapshot.params['scenario.label']).toBeUndefined();
    const [fork] = twin.fork(1);
    expect(mapOf(fork?.snapshot as never, 'interference').data).toEqual(grid.data);
    expect(mapOf(snapshotFromJSON(JSON.stringify(snapshotToJSON(twin.snapshot))), 'interference').data).toEqual(
      grid.data,
    );
    expect(() => mapOf(twin.snapshot, 'terrain')).toThrow(expect.objectContaining({ code: 'TWIN_UNKNOWN_ENTITY' }));
    expect(() => mapValueAt(twin.snapshot, 'interference', 31, 0)).toThrow(/outside/);
    twin.dispose();
  });
});

describe('scenarioEvents$ (marble)', () => {
  it('emits each event at its time on the scheduler', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ expectObservable }) => {
      const events = scenarioEvents$(
        scenario([
          { kind: 'node-fail', t: 0.002, node: 1 },
          { kind: 'node-recover', t: 0.005, node: 1 },
          { kind: 'node-fail', t: 0.005, node: 2 },
        ]),
        { scheduler: ts },
      );
      expectObservable(events.pipe(map((e) => `${e.kind}:${(e as { node: number }).node}`))).toBe('2ms a 2ms (bc|)', {
        a: 'node-fail:1',
        b: 'node-recover:1',
        c: 'node-fail:2',
      });
    });
  });

  it('errors the stream for an unsupported kind', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ expectObservable }) => {
      const events = scenarioEvents$(scenario([{ kind: 'jammer-off', t: 1, jammer: 0 }]), {
        scheduler: ts,
        supported: ['node-fail'],
      });
      expectObservable(events.pipe(map(() => 'x'))).toBe(
        '#',
        undefined,
        expect.objectContaining({
          code: 'SCENARIO_UNSUPPORTED_EVENT',
        }),
      );
    });
  });
});
