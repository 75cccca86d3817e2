import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ScenarioEvent, type ScenarioEventKind, TwinforgeError } from '@twinforge/core';
import {
  EVENT_KIND_FIELDS,
  EVENT_ROW_BASE_FIELDS,
  type EventRow,
  type EventRowField,
  timelinesFromEventRows,
} from '@twinforge/fidelity';
import {
  type ColumnVector,
  readTable,
  requireColumn,
  resolveTableFile,
  SCENARIO_DATASET_FILES,
  type TableFile,
} from './table-file.js';

/** One timeline per scenario of an events table. */
export interface EventTimelines {
  readonly file: TableFile;
  readonly ids: string[];
  readonly timelines: ScenarioEvent[][];
}

const NUMERIC_FIELDS: readonly EventRowField[] = [
  'event_index',
  't',
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
];

/**
 * Reads an events table in the layout of the mesh scenario dataset (a Parquet file, or
 * `<dataset>/data/events.parquet`) and rebuilds one ScenarioEvent[] per scenario_id in event_index order
 * (@twinforge/fidelity's `timelinesFromEventRows`). The base columns and the columns of every kind present must exist
 * (DATASET_SCHEMA_MISMATCH naming the column). For a dataset directory, scenarios.parquet lists every scenario, so
 * scenarios without events count as empty timelines (they matter to the START → END bigram).
 */
export async function readEventTimelines(path: string, cwd: string, what: string): Promise<EventTimelines> {
  const file = resolveTableFile(path, cwd, SCENARIO_DATASET_FILES.events, what);
  const table = await readTable(file);
  const columns = new Map<EventRowField, ColumnVector>();
  for (const name of EVENT_ROW_BASE_FIELDS) columns.set(name, requireColumn(table, name, file));
  const kindColumn = columns.get('kind') as ColumnVector;
  const kinds = new Set<string>();
  for (let i = 0; i < table.numRows; i++) kinds.add(String(kindColumn.get(i)));
  for (const kind of kinds) {
    // Unknown kinds fail on their row in timelinesFromEventRows, with the row number.
    const fields = EVENT_KIND_FIELDS[kind as ScenarioEventKind];
    if (!fields) continue;
    for (const name of fields.required) {
      if (!columns.has(name)) columns.set(name, requireColumn(table, name, file));
    }
    for (const name of fields.optional) {
      const c = table.getChild(name) as ColumnVector | null;
      if (c && !columns.has(name)) columns.set(name, c);
    }
  }
  const rows: EventRow[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, string | number | null> = {};
    for (const [name, column] of columns) {
      const v = column.get(i);
      if (v === null || v === undefined) row[name] = null;
      else if (NUMERIC_FIELDS.includes(name))
        row[name] = typeof v === 'bigint' || typeof v === 'number' ? Number(v) : Number.NaN;
      else row[name] = String(v);
    }
    if (row.scenario_id === null) {
      throw new TwinforgeError('DATASET_CORRUPT', `${file.display} row ${i}: scenario_id is null`, {
        details: { file: file.display, row: i },
      });
    }
    rows.push(row as unknown as EventRow);
  }
  const scenarioIds = file.datasetDir ? await datasetScenarioIds(file.datasetDir, cwd) : undefined;
  const set = timelinesFromEventRows(rows, { file: file.display, ...(scenarioIds ? { scenarioIds } : {}) });
  return { file, ids: set.ids, timelines: set.timelines };
}

/** scenario_id of every row of `<dataset>/data/scenarios.parquet`, when the dataset has that table. */
async function datasetScenarioIds(dir: string, cwd: string): Promise<string[] | undefined> {
  if (!existsSync(join(dir, SCENARIO_DATASET_FILES.scenarios))) return undefined;
  const file = resolveTableFile(dir, cwd, SCENARIO_DATASET_FILES.scenarios, 'scenarios table');
  const table = await readTable(file);
  const ids = requireColumn(table, 'scenario_id', file);
  return Array.from({ length: table.numRows }, (_, i) => String(ids.get(i)));
}
