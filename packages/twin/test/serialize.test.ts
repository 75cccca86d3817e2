import { isTwinforgeError } from '@twinforge/core';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSnapshot,
  snapshotFromIPC,
  snapshotFromJSON,
  snapshotsEqual,
  snapshotToArrow,
  snapshotToIPC,
  snapshotToJSON,
  type TwinSnapshot,
} from '../src/index.js';

// JSON has no -0 (it writes 0), so the arbitrary maps -0 to 0; Arrow would keep it.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));
const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/);

/** Arbitrary snapshots: a few kinds, each with unique ids and a few float64 columns (including -0 and extremes). */
const snapshotArb: fc.Arbitrary<TwinSnapshot> = fc
  .record({
    version: fc.nat({ max: 1e6 }),
    time: finite,
    params: fc.dictionary(name, finite, { maxKeys: 4 }),
    kinds: fc.dictionary(
      name,
      fc.integer({ min: 0, max: 6 }).chain((n) =>
        fc.record({
          ids: fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }),
          columns: fc.dictionary(name, fc.array(finite, { minLength: n, maxLength: n }), { maxKeys: 4 }),
        }),
      ),
      { maxKeys: 4 },
    ),
  })
  .map((r) => createSnapshot({ version: r.version, time: r.time, params: r.params, entities: r.kinds }));

describe('snapshot serialisation', () => {
  it('JSON round-trips exactly (property)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const text = JSON.stringify(snapshotToJSON(s));
        expect(snapshotsEqual(snapshotFromJSON(text), s)).toBe(true);
      }),
    );
  });

  it('Arrow IPC round-trips exactly (property)', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        expect(snapshotsEqual(snapshotFromIPC(snapshotToIPC(s)), s)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('the Arrow table is long form: entity, id, column, value', () => {
    const s = createSnapshot({ entities: { nodes: { ids: [4, 9], columns: { x: [1, 2], y: [3, 4] } } } });
    const table = snapshotToArrow(s);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['entity', 'id', 'column', 'value']);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { entity: 'nodes', id: 4, column: 'x', value: 1 },
      { entity: 'nodes', id: 9, column: 'x', value: 2 },
      { entity: 'nodes', id: 4, column: 'y', value: 3 },
      { entity: 'nodes', id: 9, column: 'y', value: 4 },
    ]);
  });

  it('malformed input is TWIN_SNAPSHOT_INVALID', () => {
    const good = snapshotToJSON(createSnapshot({ entities: { nodes: { columns: { x: [1, 2] } } } }));
    const cases: unknown[] = [
      '{ not json',
      { ...good, format: 'other/1' },
      { ...good, entities: { nodes: { ids: [0, 1], columns: { x: [1] } } } },
      { ...good, entities: { nodes: { ids: [0, 0], columns: { x: [1, 2] } } } },
      { ...good, time: null },
    ];
    for (const c of cases) {
      try {
        snapshotFromJSON(c);
        expect.unreachable();
      } catch (error) {
        expect(isTwinforgeError(error, 'TWIN_SNAPSHOT_INVALID')).toBe(true);
      }
    }
    for (const bytes of [Uint8Array.of(1, 2, 3), tableToIPC(tableFromArrays({ value: Float64Array.of(1) }))]) {
      expect(() => snapshotFromIPC(bytes)).toThrow(expect.objectContaining({ code: 'TWIN_SNAPSHOT_INVALID' }));
    }
  });
});
