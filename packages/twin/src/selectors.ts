import type { Observable } from 'rxjs';
import { columnOf, entityValue, paramOf, type ReadonlyColumn, type TwinSnapshot } from './snapshot.js';
import type { TwinStore } from './store.js';

// Ready-made selectors over a store. Columns are copy-on-write, so an unchanged column keeps its identity across
// snapshots and `Object.is` is the right comparison: a selector of a column that no commit touched never re-emits.

/** One entity's value of one column. */
export function selectValue(store: TwinStore, kind: string, id: number, column: string): Observable<number> {
  return store.select((s) => entityValue(s, kind, id, column));
}

/** A whole column (read-only; re-emits only when a commit wrote to it). */
export function selectColumn(store: TwinStore, kind: string, column: string): Observable<ReadonlyColumn> {
  return store.select((s) => columnOf(s, kind, column));
}

/** A model parameter (e.g. one that calibration adjusts). */
export function selectParam(store: TwinStore, name: string): Observable<number> {
  return store.select((s) => paramOf(s, name));
}

/** Simulated time of the state. */
export function selectTime(store: TwinStore): Observable<number> {
  return store.select((s: TwinSnapshot) => s.time);
}
