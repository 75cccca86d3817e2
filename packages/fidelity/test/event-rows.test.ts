import type { ScenarioEvent } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventRow, eventFromRow, eventToRow, timelinesFromEventRows } from '../src/index.js';

const pos = fc.record({
  x: fc.double({ min: 0, max: 5000, noNaN: true }),
  y: fc.double({ min: 0, max: 5000, noNaN: true }),
});
const t = fc.double({ min: 0, max: 100, noNaN: true });
const idx = fc.integer({ min: 0, max: 20 });
const positive = fc.double({ min: 0.01, max: 10, noNaN: true });

const eventArb: fc.Arbitrary<ScenarioEvent> = fc.oneof(
  fc.record({ kind: fc.constant('node-fail' as const), t, node: idx }),
  fc.record({ kind: fc.constant('node-recover' as const), t, node: idx }),
  fc.record({
    kind: fc.constant('jammer-on' as const),
    t,
    jammer: idx,
    position: pos,
    radius_m: positive,
    power_W: positive,
    channel: idx,
  }),
  fc.record({ kind: fc.constant('jammer-off' as const), t, jammer: idx }),
  fc.record(
    {
      kind: fc.constant('traffic-surge' as const),
      t,
      region: fc.record({ center: pos, radius_m: positive }),
      factor: positive,
      duration_s: positive,
    },
    { requiredKeys: ['kind', 't', 'factor', 'duration_s'] },
  ),
  fc.record(
    { kind: fc.constant('link-degrade' as const), t, from: idx, to: idx, loss_dB: positive, duration_s: positive },
    { requiredKeys: ['kind', 't', 'from', 'to', 'loss_dB'] },
  ),
);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('event rows', () => {
  it('eventFromRow inverts eventToRow for every kind (property)', () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        expect(eventFromRow(eventToRow(e, 's', 0), 'row 0')).toEqual(e);
      }),
    );
  });

  it('timelines are grouped by scenario and ordered by event_index, whatever the row order (property)', () => {
    const timelinesArb = fc.array(fc.array(eventArb, { maxLength: 6 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(timelinesArb, fc.integer(), (timelines, seed) => {
        const ids = timelines.map((_, i) => `scenario-${i}`);
        const rows = timelines.flatMap((tl, i) => tl.map((e, k) => eventToRow(e, ids[i] as string, k)));
        // A deterministic shuffle of the rows: the reader must not rely on file order.
        const shuffled = rows
          .map((r, i) => ({ r, key: Math.sin(seed + i * 12.9898) }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.r);
        const out = timelinesFromEventRows(shuffled, { scenarioIds: ids });
        expect(out.ids).toEqual(ids);
        expect(out.timelines).toEqual(timelines);
      }),
    );
  });

  it('without the scenario list, scenarios come in first-row order and empty ones are unknown', () => {
    const rows: EventRow[] = [
      { scenario_id: 'b', event_index: 1, t: 5, kind: 'node-recover', node: 2 },
      { scenario_id: 'a', event_index: 0, t: 1, kind: 'jammer-off', jammer: 0 },
      { scenario_id: 'b', event_index: 0, t: 7, kind: 'node-fail', node: 2 },
    ];
    const out = timelinesFromEventRows(rows);
    expect(out.ids).toEqual(['b', 'a']);
    // Times are kept as written: a decreasing timeline stays decreasing for the validity check.
    expect(out.timelines[0]?.map((e) => e.t)).toEqual([7, 5]);
    expect(timelinesFromEventRows(rows, { scenarioIds: ['a', 'b', 'c'] }).timelines[2]).toEqual([]);
  });

  it('bad rows name the file, row and field', () => {
    expect(
      thrown(() => eventFromRow({ scenario_id: 's', event_index: 0, t: 1, kind: 'node-fail', node: null }, 'f row 3')),
    ).toMatchObject({
      code: 'DATASET_CORRUPT',
      message: 'f row 3: node is null for a node-fail event',
    });
    expect(
      thrown(() => eventFromRow({ scenario_id: 's', event_index: 0, t: 1, kind: 'explode' }, 'f row 0')),
    ).toMatchObject({
      code: 'SCENARIO_UNSUPPORTED_EVENT',
      message: 'f row 0: unknown event kind "explode"',
    });
    const dup: EventRow[] = [
      { scenario_id: 's', event_index: 0, t: 1, kind: 'jammer-off', jammer: 0 },
      { scenario_id: 's', event_index: 0, t: 2, kind: 'jammer-off', jammer: 1 },
    ];
    expect(() => timelinesFromEventRows(dup, { file: 'ev.parquet' })).toThrow(
      /ev\.parquet: scenario "s" has two events with event_index 0/,
    );
    expect(() => timelinesFromEventRows(dup.slice(0, 1), { scenarioIds: ['x'] })).toThrow(
      /scenario "s" is not among the 1 scenarios/,
    );
  });
});
