// Writes what the reproduction generated as Parquet in the layout of the mesh scenario dataset, so that the CLI can
// score it again (`twinforge fidelity maps|events <real dataset> <generated dir>`) and data scientists can open it
// in DuckDB next to the real tables.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioEvent } from '@twinforge/core';
import { writeParquetFile } from '@twinforge/data';
import { eventToRow } from '@twinforge/fidelity';
import { type ColumnSpec, TableBuilder } from '../../lib/arrow-columns.js';

const int = { kind: 'int64' } as const;
const f64 = { kind: 'float64' } as const;
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

const EVENT_SPECS: ColumnSpec[] = [
  { name: 'scenario_id', type: utf8, description: 'generated timeline id' },
  { name: 'event_index', type: int, description: 'position in the timeline' },
  { name: 't', type: f64, description: 'seconds from the episode start' },
  { name: 'kind', type: utf8, description: 'event kind' },
  ...(['node', 'jammer', 'channel', 'from_node', 'to_node'] as const).map((name) => ({
    name,
    type: int,
    nullable: true,
    description: name,
  })),
  ...(['x_m', 'y_m', 'radius_m', 'power_W', 'factor', 'duration_s', 'loss_dB'] as const).map((name) => ({
    name,
    type: f64,
    nullable: true,
    description: name,
  })),
];

/**
 * `<dir>/data/events.parquet`: the generated timelines in the columns of the real events table, and
 * `<dir>/data/scenarios.parquet` listing every timeline (so empty ones still count, as in the real dataset).
 */
export async function writeGeneratedEvents(
  dir: string,
  timelines: readonly (readonly ScenarioEvent[])[],
): Promise<void> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const table = new TableBuilder(EVENT_SPECS);
  timelines.forEach((tl, s) => {
    tl.forEach((e, k) => {
      table.add(eventToRow(e, `generated-${s}`, k) as unknown as Record<string, number | string | null>);
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
