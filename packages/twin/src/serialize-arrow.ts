import { TwinforgeError } from '@twinforge/core';
import { Schema, Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { SNAPSHOT_FORMAT } from './serialize-json.js';
import { createSnapshot, type SnapshotInput, type TwinSnapshot } from './snapshot.js';

const LAYOUT_KEY = 'twinforge.twin-snapshot';

interface ArrowLayout {
  format: string;
  version: number;
  time: number;
  params: Record<string, number>;
  /** Per kind, in row order of the table: ids and column names (so kinds without columns survive too). */
  entities: Record<string, { ids: number[]; columns: string[] }>;
}

/**
 * A snapshot as one Arrow table in long form, one row per (entity kind, id, column): `entity` and `column` as
 * dictionary strings, `id` int32, `value` float64. DuckDB / pandas pivot it back to wide with one query; the
 * schema metadata carries version, time, params and the per-kind layout so `snapshotFromArrow` is exact.
 */
export function snapshotToArrow(snapshot: TwinSnapshot): Table {
  const entity: string[] = [];
  const column: string[] = [];
  let rows = 0;
  const layout: ArrowLayout = {
    format: SNAPSHOT_FORMAT,
    version: snapshot.version,
    time: snapshot.time,
    params: { ...snapshot.params },
    entities: {},
  };
  for (const [kind, table] of Object.entries(snapshot.entities)) {
    const names = Object.keys(table.columns);
    layout.entities[kind] = { ids: Array.from(table.ids), columns: names };
    rows += names.length * table.ids.length;
  }
  const id = new Int32Array(rows);
  const value = new Float64Array(rows);
  let r = 0;
  for (const [kind, table] of Object.entries(snapshot.entities)) {
    for (const [name, values] of Object.entries(table.columns)) {
      for (let i = 0; i < table.ids.length; i++) {
        entity.push(kind);
        column.push(name);
        id[r] = table.ids[i] as number;
        value[r] = values[i] as number;
        r++;
      }
    }
  }
  const plain = tableFromArrays({ entity, id, column, value });
  const metadata = new Map([[LAYOUT_KEY, JSON.stringify(layout)]]);
  return new Table(new Schema(plain.schema.fields, metadata), plain.batches);
}

/** Arrow IPC stream bytes of `snapshotToArrow`. */
export function snapshotToIPC(snapshot: TwinSnapshot): Uint8Array {
  return tableToIPC(snapshotToArrow(snapshot), 'stream');
}

/** Inverse of `snapshotToArrow`; a table without the layout metadata or with mismatched rows is TWIN_SNAPSHOT_INVALID. */
export function snapshotFromArrow(table: Table): TwinSnapshot {
  const raw = table.schema.metadata.get(LAYOUT_KEY);
  if (raw === undefined) invalid(`missing schema metadata "${LAYOUT_KEY}"`);
  let layout: ArrowLayout;
  try {
    layout = JSON.parse(raw) as ArrowLayout;
  } catch (cause) {
    invalid(`metadata "${LAYOUT_KEY}" is not JSON: ${String(cause)}`);
  }
  if (layout.format !== SNAPSHOT_FORMAT) invalid(`unknown format "${String(layout.format)}"`);
  const values = table.getChild('value')?.toArray() as Float64Array | undefined;
  const ids = table.getChild('id')?.toArray() as Int32Array | undefined;
  if (!values || !ids) invalid('needs columns "id" and "value"');
  const expected = Object.values(layout.entities).reduce((n, e) => n + e.ids.length * e.columns.length, 0);
  if (values.length !== expected) invalid(`${values.length} value rows, layout describes ${expected}`);
  const entities: Record<string, { ids: number[]; columns: Record<string, Float64Array> }> = {};
  let r = 0;
  for (const [kind, e] of Object.entries(layout.entities)) {
    const columns: Record<string, Float64Array> = {};
    for (const name of e.columns) {
      for (let i = 0; i < e.ids.length; i++) {
        if (ids[r + i] !== e.ids[i]) invalid(`row ${r + i}: id ${ids[r + i]} where the layout has ${e.ids[i]}`);
      }
      columns[name] = values.slice(r, r + e.ids.length);
      r += e.ids.length;
    }
    entities[kind] = { ids: e.ids, columns };
  }
  const input: SnapshotInput = { version: layout.version, time: layout.time, params: layout.params, entities };
  return createSnapshot(input);
}

export function snapshotFromIPC(bytes: Uint8Array): TwinSnapshot {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (cause) {
    throw new TwinforgeError('TWIN_SNAPSHOT_INVALID', `not an Arrow IPC stream: ${String(cause)}`, { cause });
  }
  return snapshotFromArrow(table);
}

function invalid(message: string): never {
  throw new TwinforgeError('TWIN_SNAPSHOT_INVALID', `invalid twin snapshot Arrow table: ${message}`);
}
