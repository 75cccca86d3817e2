// Writes what the reproduction generated as Parquet in the layout of the mesh scenario dataset, so that the CLI can
// score it again (`twinforge fidelity maps|events <real dataset> <generated dir>`) and data scientists can open it
// in DuckDB next to the real tables.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioEvent } from '@twinforge/core';
import { writeParquetFile } from '@twinforge/data';
import { type ColumnSpec, TableBuilder } from '../../lib/arrow-columns.js';
import { EVENT_COLUMNS, eventTableRow } from '../../lib/event-columns.js';

const int = { kind: 'int64' } as const;
const _f64 = { kind: 'float64' } as const;
const utf8 = { kind: 'utf8' } as const;
const meta = new Map([['twinforge.generated_by', 'scripts/reproduce/generative-fidelity.ts']]);

/** `<dir>/data/snapshots.parquet`: one generated map per row with the condition it was sampled for. */
export async function writeGeneratedMaps(
  dir: string,
  column: string,
  maps: readonly Float32Array[],
  conditions: readonly (readonly (number | null)[])[],
  conditionColumns: readonly string[],
): Promise<void> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const width = maps[0]?.length ?? 0;
  const specs: ColumnSpec[] = [
    { name: 'sample_index', type: int, description: 'row' },
    ...conditionColumns.map((name) => ({
      name,
      type: int,
      nullable: true,
      description: `condition ${name} (null: unknown)`,
    })),
    { name: column, type: { kind: 'vector', width }, description: 'generated map (same units as the real column)' },
  ];
  const table = new TableBuilder(specs);
  maps.forEach((m, i) => {
    const row: Record<string, number | Float32Array | null> = { sample_index: i, [column]: m };
    conditionColumns.forEach((c, j) => {
      row[c] = conditions[i]?.[j] ?? null;
    });
    table.add(row);
  });
  const schema = table.schema(meta);
  await writeParquetFile(dir, 'data/snapshots.parquet', schema, [table.batch(schema)], { metadata: meta });
}

/**
 * `<dir>/data/events.parquet`: the generated timelines in the real events table's schema, and
 * `<dir>/data/scenarios.parquet` listing every timeline (so empty ones still count, as in the real dataset).
 */
export async function writeGeneratedEvents(
  dir: string,
  timelines: readonly (readonly ScenarioEvent[])[],
): Promise<void> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const table = new TableBuilder(EVENT_COLUMNS);
  timelines.forEach((tl, s) => {
    tl.forEach((e, k) => {
      table.add(eventTableRow(s, `generated-${s}`, e, k));
    });
  });
  const schema = table.schema(meta);
  await writeParquetFile(dir, 'data/events.parquet', schema, [table.batch(schema)], { metadata: meta });
  const scenarios = new TableBuilder([
    { name: 'scenario_index', type: int, description: 'row' },
    { name: 'scenario_id', type: utf8, description: 'generated timeline id' },
    { name: 'events', type: int, description: 'events in the timeline' },
  ]);
  timelines.forEach((tl, s) => {
    scenarios.add({ scenario_index: s, scenario_id: `generated-${s}`, events: tl.length });
  });
  const sSchema = scenarios.schema(meta);
  await writeParquetFile(dir, 'data/scenarios.parquet', sSchema, [scenarios.batch(sSchema)], { metadata: meta });
}
