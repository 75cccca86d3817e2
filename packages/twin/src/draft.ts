import { assertFinite, type ScenarioEvent, TwinforgeError } from '@twinforge/core';
import type { TwinChange } from './changes.js';
import {
  columnOf,
  createSnapshot,
  type EntityTable,
  type ReadonlyColumn,
  rowOf,
  type TwinSnapshot,
  tableOf,
} from './snapshot.js';

/**
 * A copy-on-write editor over an immutable snapshot (the role immer's drafts play, on typed arrays). Reads see the
 * base plus this draft's writes; the first write to a column copies that column (one `Float64Array.slice`), later
 * writes go to the copy. `commit()` returns a new snapshot that shares every untouched column, table and the params
 * object with the base. The base is never written, which is what keeps forks and earlier versions independent.
 *
 * When `track` is on, every write is recorded as a `TwinChange` for `events$`; it is off when nobody listens, so a
 * fork that is stepped thousands of times allocates no change records.
 */
export class SnapshotDraft {
  readonly base: TwinSnapshot;
  readonly changes: TwinChange[] = [];
  readonly #track: boolean;
  #time: number;
  #entities: Record<string, EntityTable> | undefined;
  #params: Record<string, number> | undefined;
  /**
   * Columns this draft allocated (kind → column → copy), so they may be written in place. Its presence for a kind
   * also means that kind's table object was copied. Plain objects rather than Sets: drafts are made once per step of
   * every fork, and this is their hot path.
   */
  #copies: Record<string, Record<string, Float64Array>> | undefined;
  /** Columns handed out by `writable` for bulk writes: checked for finiteness at commit. */
  #bulk: Float64Array[] | undefined;
  #committed = false;

  constructor(base: TwinSnapshot, options: { track?: boolean } = {}) {
    this.base = base;
    this.#time = base.time;
    this.#track = options.track ?? false;
  }

  /** Simulated seconds. */
  get time(): number {
    return this.#time;
  }

  set time(value: number) {
    assertFinite(value, 'draft time');
    if (this.#track && value !== this.#time) this.changes.push({ type: 'time', time: value, previous: this.#time });
    this.#time = value;
  }

  /** Whether anything (time included) differs from the base. */
  get dirty(): boolean {
    return this.#entities !== undefined || this.#params !== undefined || this.#time !== this.base.time;
  }

  /** The current table of a kind (base or copied). */
  table(kind: string): EntityTable {
    return this.#entities?.[kind] ?? tableOf(this.base, kind);
  }

  /** The current column (read-only view; use `set` or `writable` to change it). */
  column(kind: string, column: string): ReadonlyColumn {
    const current = this.#entities?.[kind]?.columns[column];
    return current ?? columnOf(this.base, kind, column);
  }

  rowOf(kind: string, id: number): number {
    const row = rowOf(this.table(kind), id);
    if (row < 0) {
      throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `no entity ${id} among "${kind}"`, { details: { kind, id } });
    }
    return row;
  }

  get(kind: string, row: number, column: string): number {
    return this.column(kind, column)[row] as number;
  }

  getById(kind: string, id: number, column: string): number {
    return this.get(kind, this.rowOf(kind, id), column);
  }

  /** Writes one value by row; the value must be finite (NaN never enters a snapshot). */
  set(kind: string, row: number, column: string, value: number): void {
    const target = this.writable(kind, column, false);
    if (row < 0 || row >= target.length || !Number.isInteger(row)) {
      throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `row ${row} is outside "${kind}" (${target.length} rows)`, {
        details: { kind, row },
      });
    }
    if (!Number.isFinite(value)) assertFinite(value, `${kind}.${column}[${row}]`);
    if (this.#track) {
      const id = this.table(kind).ids[row] as number;
      this.changes.push({ type: 'set', entity: kind, id, column, value, previous: target[row] as number });
    }
    target[row] = value;
  }

  setById(kind: string, id: number, column: string, value: number): void {
    this.set(kind, this.rowOf(kind, id), column, value);
  }

  /**
   * A column this draft owns, for bulk writes (noise, physics over all entities). The caller must write finite values
   * only; `commit()` checks columns obtained this way.
   */
  writable(kind: string, column: string, bulk = true): Float64Array {
    this.#assertOpen();
    let copies = this.#copies?.[kind];
    const mine = copies?.[column];
    if (mine) {
      if (bulk) this.#noteBulk(kind, column, mine);
      return mine;
    }
    const copy = (this.column(kind, column) as Float64Array).slice();
    const entities = this.#ensureEntities();
    if (!copies) {
      // First write to this kind: copy its table object (the columns record), sharing the ids.
      const table = entities[kind] as EntityTable;
      entities[kind] = { ids: table.ids, columns: { ...table.columns } };
      copies = {};
      this.#copies ??= {};
      this.#copies[kind] = copies;
    }
    copies[column] = copy;
    (entities[kind] as { columns: Record<string, ReadonlyColumn> }).columns[column] = copy;
    if (bulk) this.#noteBulk(kind, column, copy);
    return copy;
  }

  #noteBulk(kind: string, column: string, values: Float64Array): void {
    this.#bulk ??= [];
    if (this.#bulk.includes(values)) return;
    this.#bulk.push(values);
    if (this.#track) this.changes.push({ type: 'column', entity: kind, column });
  }

  param(name: string): number | undefined {
    return this.#params ? this.#params[name] : this.base.params[name];
  }

  setParam(name: string, value: number): void {
    this.#assertOpen();
    assertFinite(value, `param ${name}`);
    this.#params ??= { ...this.base.params };
    if (this.#track) this.changes.push({ type: 'param', name, value, previous: this.#params[name] });
    this.#params[name] = value;
  }

  /**
   * Adds or replaces a whole entity kind (e.g. a scenario map). The arrays are copied; ids default to 0..n-1; every
   * column must match the ids in length and be finite (TWIN_SNAPSHOT_INVALID otherwise).
   */
  putTable(
    kind: string,
    table: { ids?: ArrayLike<number>; columns: Readonly<Record<string, ArrayLike<number>>> },
  ): void {
    this.#assertOpen();
    const built = createSnapshot({ entities: { [kind]: table } }).entities[kind] as EntityTable;
    this.#ensureEntities()[kind] = built;
    // The new table's columns are this draft's own copies.
    this.#copies ??= {};
    this.#copies[kind] = { ...(built.columns as Record<string, Float64Array>) };
    if (this.#track)
      for (const column of Object.keys(built.columns)) this.changes.push({ type: 'column', entity: kind, column });
  }

  /** Records that a scenario event fired (the model applied its effect through this draft). */
  noteEvent(event: ScenarioEvent): void {
    if (this.#track) this.changes.push({ type: 'scenario-event', event });
  }

  /** The new snapshot (version + 1), sharing everything untouched with the base. A draft commits once. */
  commit(): TwinSnapshot {
    this.#assertOpen();
    this.#committed = true;
    for (const column of this.#bulk ?? []) {
      for (let i = 0; i < column.length; i++) {
        if (!Number.isFinite(column[i])) {
          throw new TwinforgeError(
            'NUMERIC_INVALID',
            `a bulk write left a non-finite value (${column[i]}) at row ${i}`,
          );
        }
      }
    }
    const snapshot: TwinSnapshot = {
      version: this.base.version + 1,
      time: this.#time,
      params: this.#params ?? this.base.params,
      entities: this.#entities ?? this.base.entities,
    };
    return snapshot;
  }

  #ensureEntities(): Record<string, EntityTable> {
    this.#entities ??= { ...this.base.entities };
    return this.#entities;
  }

  #assertOpen(): void {
    if (this.#committed) throw new TwinforgeError('INVALID_ARGUMENT', 'this draft was already committed');
  }
}
