import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ScenarioEvent, TwinforgeError } from '@twinforge/core';
import { readParquetFile } from '@twinforge/data';
import { type EventRow, eventFromRow } from '@twinforge/fidelity';
import type { PrefixCondition } from './tokens/vocabulary.js';

export const EVENTS_FILE = 'data/events.parquet';
export const SCENARIOS_FILE = 'data/scenarios.parquet';

/** Event timelines of the scenario dataset, one per scenario, with the scenario-level condition values. */
export interface ScenarioTimelines {
  readonly timelines: ScenarioEvent[][];
  readonly conditions: (number | null)[][];
  readonly scenarioIndex: number[];
  /** meta/info.json of the dataset (nodes, area, load levels, generator config). */
  readonly info: Record<string, unknown>;
}

interface Column {
  get(i: number): unknown;
}

/**
 * Reads `events.parquet` (one row per event, nullable columns by kind) and `scenarios.parquet` (one row per
 * scenario; conditions such as `jammers` and `load_level`) written by `npm run dataset:mesh-scenarios`, and rebuilds
 * each scenario's ScenarioEvent[] in timeline order. Scenarios without events get an empty timeline.
 */
export async function readScenarioTimelines(
  root: string,
  conditions: readonly PrefixCondition[],
): Promise<ScenarioTimelines> {
  for (const f of [EVENTS_FILE, SCENARIOS_FILE]) {
    if (!existsSync(join(root, f))) {
      throw new TwinforgeError(
        'DATASET_NOT_FOUND',
        `${join(root, f)} not found: generate it with npm run dataset:mesh-scenarios`,
      );
    }
  }
  const infoPath = join(root, 'meta', 'info.json');
  const info = existsSync(infoPath) ? (JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>) : {};
  const scen = (await readParquetFile(root, SCENARIOS_FILE)).table;
  const ev = (await readParquetFile(root, EVENTS_FILE)).table;
  const col = (t: typeof scen, name: string, file: string): Column => {
    const c = t.getChild(name) as Column | null;
    if (!c)
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${file} has no column "${name}"`, {
        details: { column: name },
      });
    return c;
  };
  const sIndex = col(scen, 'scenario_index', SCENARIOS_FILE);
  const condCols = conditions.map((c) => col(scen, c.column, SCENARIOS_FILE));
  const rowOf = new Map<number, number>();
  const timelines: ScenarioEvent[][] = [];
  const conds: (number | null)[][] = [];
  const scenarioIndex: number[] = [];
  for (let i = 0; i < scen.numRows; i++) {
    const k = Number(sIndex.get(i));
    rowOf.set(k, i);
    scenarioIndex.push(k);
    timelines.push([]);
    conds.push(
      conditions.map((c, j) => {
        const v = Number((condCols[j] as Column).get(i));
        if (!Number.isInteger(v) || v < 0 || v >= c.levels) {
          throw new TwinforgeError(
            'INVALID_ARGUMENT',
            `${SCENARIOS_FILE} row ${i}: ${c.column} = ${v} is outside 0..${c.levels - 1}`,
          );
        }
        return v;
      }),
    );
  }
  const names = [
    'scenario_index',
    'event_index',
    't',
    'kind',
    'node',
    'jammer',
    'x_m',
    'y_m',
    'radius_m',
    'power_W',
    'channel',
    'factor',
    'duration_s',
    'from_node',
    'to_node',
    'loss_dB',
  ] as const;
  const c = Object.fromEntries(names.map((n) => [n, col(ev, n, EVENTS_FILE)])) as Record<
    (typeof names)[number],
    Column
  >;
  const num = (name: (typeof names)[number], i: number): number => {
    const v = c[name].get(i);
    if (v === null || v === undefined)
      throw new TwinforgeError('DATASET_CORRUPT', `${EVENTS_FILE} row ${i}: ${name} is null`);
    return Number(v);
  };
  const eventRowAt = (i: number): EventRow => {
    const row: Record<string, string | number | null> = { scenario_id: '', kind: String(c.kind.get(i)) };
    for (const n of names) {
      if (n === 'kind' || n === 'scenario_index') continue;
      const v = c[n].get(i);
      row[n] = v === null || v === undefined ? null : Number(v);
    }
    return row as unknown as EventRow;
  };
  const order: { k: number; idx: number; row: number }[] = [];
  for (let i = 0; i < ev.numRows; i++) order.push({ k: num('scenario_index', i), idx: num('event_index', i), row: i });
  order.sort((a, b) => a.k - b.k || a.idx - b.idx);
  for (const { k, row: i } of order) {
    const r = rowOf.get(k);
    if (r === undefined)
      throw new TwinforgeError('DATASET_CORRUPT', `${EVENTS_FILE} row ${i}: scenario ${k} is not in ${SCENARIOS_FILE}`);
    // The row → event mapping (which columns each kind reads, nulls, unknown kinds) is @twinforge/fidelity's.
    const e = eventFromRow(eventRowAt(i), `${EVENTS_FILE} row ${i}`);
    (timelines[r] as ScenarioEvent[]).push(e);
  }
  return { timelines, conditions: conds, scenarioIndex, info };
}
