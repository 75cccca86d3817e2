import { TwinforgeError } from '@twinforge/core';

/**
 * The entity kinds DESIGN.md names. Models may add kinds of their own (any non-empty name); these are the ones
 * twinforge's tools know by name.
 */
export const ENTITY_KINDS = ['nodes', 'links', 'devices', 'tasks', 'servers'] as const;

/**
 * A typed-array column that callers must not write to: snapshots share columns with earlier versions and with forks
 * (structural sharing), so an in-place write would leak into every domain that holds the same array. The type
 * removes the mutating methods and makes the index read-only; writes go through a `SnapshotDraft`.
 */
export type ReadonlyColumn = Omit<Readonly<Float64Array>, 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort'>;

/**
 * All entities of one kind as a struct of arrays: row i is the entity `ids[i]`, and each named column holds one
 * float64 per row. Columns of numbers (positions, rates, flags as 0/1, references to other entities by id) keep a
 * 200-entity twin in a handful of contiguous arrays, which is what makes forks and serialisation cheap.
 */
export interface EntityTable {
  readonly ids: Omit<Readonly<Int32Array>, 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort'>;
  readonly columns: Readonly<Record<string, ReadonlyColumn>>;
}

/**
 * One immutable state of a digital domain. `version` counts commits along its lineage; `time` is simulated seconds.
 * `params` holds model parameters that calibration may adjust (e.g. a path-loss exponent).
 */
export interface TwinSnapshot {
  readonly version: number;
  readonly time: number;
  readonly params: Readonly<Record<string, number>>;
  readonly entities: Readonly<Record<string, EntityTable>>;
}

/** Plain input for `createSnapshot`: arrays of any kind, copied into typed arrays. */
export interface SnapshotInput {
  readonly version?: number;
  readonly time?: number;
  readonly params?: Readonly<Record<string, number>>;
  readonly entities?: Readonly<
    Record<
      string,
      {
        /** Defaults to 0..n-1, n taken from the first column. */
        readonly ids?: ArrayLike<number>;
        readonly columns: Readonly<Record<string, ArrayLike<number>>>;
      }
    >
  >;
}

/** Builds a validated snapshot, copying every array (the caller keeps ownership of what it passed). */
export function createSnapshot(input: SnapshotInput = {}): TwinSnapshot {
  const entities: Record<string, EntityTable> = {};
  for (const [kind, table] of Object.entries(input.entities ?? {})) {
    const names = Object.keys(table.columns);
    const n =
      table.ids?.length ?? (names.length > 0 ? (table.columns[names[0] as string] as ArrayLike<number>).length : 0);
    const ids = table.ids ? Int32Array.from(table.ids) : Int32Array.from({ length: n }, (_, i) => i);
    const columns: Record<string, Float64Array> = {};
    for (const name of names) columns[name] = Float64Array.from(table.columns[name] as ArrayLike<number>);
    entities[kind] = { ids, columns };
  }
  const snapshot: TwinSnapshot = {
    version: input.version ?? 0,
    time: input.time ?? 0,
    params: { ...(input.params ?? {}) },
    entities,
  };
  return validateSnapshot(snapshot);
}

/**
 * Checks the invariants everything else relies on: finite time, version and params, unique integer ids, every column
 * as long as the ids and finite. Throws TWIN_SNAPSHOT_INVALID naming the first offending path.
 */
export function validateSnapshot(snapshot: TwinSnapshot): TwinSnapshot {
  if (!Number.isSafeInteger(snapshot.version) || snapshot.version < 0) {
    invalid('version', `must be an integer >= 0, got ${String(snapshot.version)}`);
  }
  if (!Number.isFinite(snapshot.time)) invalid('time', `must be finite, got ${String(snapshot.time)}`);
  for (const [name, value] of Object.entries(snapshot.params)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`params.${name}`, `must be finite, got ${value}`);
  }
  for (const [kind, table] of Object.entries(snapshot.entities)) {
    if (kind === '') invalid('entities', 'entity kinds must be non-empty names');
    if (!(table.ids instanceof Int32Array)) invalid(`entities.${kind}.ids`, 'must be an Int32Array');
    const seen = new Set<number>();
    for (let i = 0; i < table.ids.length; i++) {
      const id = table.ids[i] as number;
      if (seen.has(id)) invalid(`entities.${kind}.ids[${i}]`, `duplicate id ${id}`);
      seen.add(id);
    }
    for (const [name, column] of Object.entries(table.columns)) {
      const path = `entities.${kind}.columns.${name}`;
      if (!(column instanceof Float64Array)) invalid(path, 'must be a Float64Array');
      if (column.length !== table.ids.length) {
        invalid(path, `has ${column.length} values for ${table.ids.length} ids`);
      }
      for (let i = 0; i < column.length; i++) {
        if (!Number.isFinite(column[i])) invalid(`${path}[${i}]`, `must be finite, got ${String(column[i])}`);
      }
    }
  }
  return snapshot;
}

// Row lookup caches keyed by the ids array: ids are shared by every version that did not add or remove entities,
// so one map serves a whole lineage of snapshots and all their forks.
const rowIndex = new WeakMap<object, Map<number, number>>();

/** The row of entity `id` in `table`, or -1. Dense ids (0..n-1, the common case) need no map. */
export function rowOf(table: EntityTable, id: number): number {
  const ids = table.ids;
  if (id >= 0 && id < ids.length && ids[id] === id) return id;
  let map = rowIndex.get(ids);
  if (!map) {
    map = new Map();
    for (let i = 0; i < ids.length; i++) map.set(ids[i] as number, i);
    rowIndex.set(ids, map);
  }
  return map.get(id) ?? -1;
}

/** The table of one kind; TWIN_UNKNOWN_ENTITY when the snapshot has none. */
export function tableOf(snapshot: TwinSnapshot, kind: string): EntityTable {
  const table = snapshot.entities[kind];
  if (!table) {
    throw new TwinforgeError(
      'TWIN_UNKNOWN_ENTITY',
      `the twin has no entities of kind "${kind}" (kinds: ${Object.keys(snapshot.entities).join(', ') || 'none'})`,
      { details: { kind } },
    );
  }
  return table;
}

/** One column of one kind; TWIN_UNKNOWN_ENTITY when either is missing. */
export function columnOf(snapshot: TwinSnapshot, kind: string, column: string): ReadonlyColumn {
  const values = tableOf(snapshot, kind).columns[column];
  if (!values) {
    throw new TwinforgeError(
      'TWIN_UNKNOWN_ENTITY',
      `entities "${kind}" have no column "${column}" (columns: ${Object.keys(tableOf(snapshot, kind).columns).join(', ')})`,
      { details: { kind, column } },
    );
  }
  return values;
}

/** The value of `column` for entity `id` of `kind`; TWIN_UNKNOWN_ENTITY for an unknown kind, id or column. */
export function entityValue(snapshot: TwinSnapshot, kind: string, id: number, column: string): number {
  const values = columnOf(snapshot, kind, column);
  const row = rowOf(tableOf(snapshot, kind), id);
  if (row < 0) {
    throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `no entity ${id} among "${kind}"`, { details: { kind, id } });
  }
  return values[row] as number;
}

/** A named parameter; TWIN_UNKNOWN_ENTITY when absent (a model asking for a parameter nobody set is a bug). */
export function paramOf(snapshot: TwinSnapshot, name: string): number {
  const value = snapshot.params[name];
  if (value === undefined) {
    throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `the twin has no parameter "${name}"`, { details: { name } });
  }
  return value;
}

/** Number of entities of every kind together. */
export function entityCount(snapshot: TwinSnapshot): number {
  let n = 0;
  for (const table of Object.values(snapshot.entities)) n += table.ids.length;
  return n;
}

/** Value equality of two snapshots (version included): what tests and `distinctUntilChanged` comparisons need. */
export function snapshotsEqual(a: TwinSnapshot, b: TwinSnapshot, options: { ignoreVersion?: boolean } = {}): boolean {
  if (a === b) return true;
  if (!options.ignoreVersion && a.version !== b.version) return false;
  if (!Object.is(a.time, b.time)) return false;
  if (!sameRecord(a.params, b.params)) return false;
  const kinds = Object.keys(a.entities);
  if (kinds.length !== Object.keys(b.entities).length) return false;
  for (const kind of kinds) {
    const ta = a.entities[kind] as EntityTable;
    const tb = b.entities[kind];
    if (!tb || !sameArray(ta.ids, tb.ids)) return false;
    const names = Object.keys(ta.columns);
    if (names.length !== Object.keys(tb.columns).length) return false;
    for (const name of names) {
      const cb = tb.columns[name];
      if (!cb || !sameArray(ta.columns[name] as ReadonlyColumn, cb)) return false;
    }
  }
  return true;
}

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && Object.is(a[k], b[k]));
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function invalid(path: string, message: string): never {
  throw new TwinforgeError('TWIN_SNAPSHOT_INVALID', `invalid twin snapshot: ${path} ${message}`, {
    details: { path },
  });
}
