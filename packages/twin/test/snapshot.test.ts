import { isTwinforgeError } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import {
  columnOf,
  createSnapshot,
  entityCount,
  entityValue,
  rowOf,
  SnapshotDraft,
  snapshotsEqual,
  validateSnapshot,
} from '../src/index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isTwinforgeError(error) ? error.code : 'not-a-twinforge-error';
  }
  return undefined;
}

describe('snapshots', () => {
  const base = createSnapshot({
    time: 2,
    params: { pathLossExponent: 3 },
    entities: {
      nodes: { ids: [10, 20, 30], columns: { x: [0, 100, 200], up: [1, 1, 0] } },
      devices: { columns: { x: [5, 6] } },
    },
  });

  it('stores entities as typed arrays and finds rows by id', () => {
    expect(base.entities.nodes?.ids).toBeInstanceOf(Int32Array);
    expect(columnOf(base, 'nodes', 'x')).toBeInstanceOf(Float64Array);
    expect(entityValue(base, 'nodes', 20, 'x')).toBe(100);
    expect(rowOf(base.entities.devices as never, 1)).toBe(1);
    expect(rowOf(base.entities.nodes as never, 99)).toBe(-1);
    expect(entityCount(base)).toBe(5);
  });

  it('names unknown kinds, ids and columns with TWIN_UNKNOWN_ENTITY', () => {
    expect(codeOf(() => entityValue(base, 'links', 0, 'x'))).toBe('TWIN_UNKNOWN_ENTITY');
    expect(codeOf(() => entityValue(base, 'nodes', 11, 'x'))).toBe('TWIN_UNKNOWN_ENTITY');
    expect(codeOf(() => entityValue(base, 'nodes', 10, 'height'))).toBe('TWIN_UNKNOWN_ENTITY');
  });

  it('rejects malformed snapshots with TWIN_SNAPSHOT_INVALID naming the path', () => {
    const bad = [
      () => createSnapshot({ entities: { nodes: { ids: [1, 1], columns: { x: [0, 0] } } } }),
      () => createSnapshot({ entities: { nodes: { ids: [1, 2], columns: { x: [0] } } } }),
      () => createSnapshot({ entities: { nodes: { columns: { x: [0, Number.NaN] } } } }),
      () => createSnapshot({ time: Number.POSITIVE_INFINITY }),
      () => createSnapshot({ params: { n: Number.NaN } }),
      () => validateSnapshot({ ...base, version: -1 }),
    ];
    for (const fn of bad) expect(codeOf(fn)).toBe('TWIN_SNAPSHOT_INVALID');
    try {
      createSnapshot({ entities: { nodes: { columns: { x: [0, Number.NaN] } } } });
    } catch (error) {
      expect(String(error)).toContain('entities.nodes.columns.x[1]');
    }
  });
});

describe('SnapshotDraft (copy-on-write)', () => {
  const base = createSnapshot({
    params: { a: 1 },
    entities: { nodes: { columns: { x: [0, 1, 2], y: [5, 5, 5] } }, devices: { columns: { z: [9] } } },
  });

  it('copies a column on first write and shares everything untouched', () => {
    const draft = new SnapshotDraft(base);
    draft.set('nodes', 1, 'x', 42);
    draft.set('nodes', 2, 'x', 43);
    const next = draft.commit();
    expect(next.version).toBe(base.version + 1);
    expect(Array.from(columnOf(next, 'nodes', 'x'))).toEqual([0, 42, 43]);
    expect(Array.from(columnOf(base, 'nodes', 'x'))).toEqual([0, 1, 2]);
    expect(columnOf(next, 'nodes', 'y')).toBe(columnOf(base, 'nodes', 'y'));
    expect(next.entities.devices).toBe(base.entities.devices);
    expect(next.params).toBe(base.params);
  });

  it('keeps NaN out of snapshots', () => {
    const draft = new SnapshotDraft(base);
    expect(codeOf(() => draft.set('nodes', 0, 'x', Number.NaN))).toBe('NUMERIC_INVALID');
    expect(codeOf(() => draft.setParam('a', Number.POSITIVE_INFINITY))).toBe('NUMERIC_INVALID');
    const bulk = new SnapshotDraft(base);
    bulk.writable('nodes', 'y')[0] = Number.NaN;
    expect(codeOf(() => bulk.commit())).toBe('NUMERIC_INVALID');
  });

  it('records changes only when tracking', () => {
    const quiet = new SnapshotDraft(base);
    quiet.set('nodes', 0, 'x', 7);
    quiet.time = 3;
    expect(quiet.changes).toHaveLength(0);
    const loud = new SnapshotDraft(base, { track: true });
    loud.set('nodes', 0, 'x', 7);
    loud.setParam('a', 2);
    loud.time = 3;
    expect(loud.changes).toEqual([
      { type: 'set', entity: 'nodes', id: 0, column: 'x', value: 7, previous: 0 },
      { type: 'param', name: 'a', value: 2, previous: 1 },
      { type: 'time', time: 3, previous: 0 },
    ]);
  });

  it('compares snapshots by value', () => {
    const copy = createSnapshot({
      params: { a: 1 },
      entities: { nodes: { columns: { x: [0, 1, 2], y: [5, 5, 5] } }, devices: { columns: { z: [9] } } },
    });
    expect(snapshotsEqual(base, copy)).toBe(true);
    const draft = new SnapshotDraft(base);
    draft.set('devices', 0, 'z', 8);
    expect(snapshotsEqual(base, draft.commit(), { ignoreVersion: true })).toBe(false);
  });
});
