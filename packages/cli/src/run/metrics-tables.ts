import { readParquetFile, writeParquetFile } from '@twinforge/data';
import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';

/** One finished training episode: a point of the learning curve (of the learner, or of a baseline that trains). */
export interface EpisodeRow {
  /** The learner's or the baseline's label, as in the evaluation table. */
  policy: string;
  kind: 'learner' | 'baseline';
  seed: number;
  episode: number;
  return: number;
  length: number;
  /** Environment steps of the seed's run so far, after this episode. */
  steps: number;
  scenarioId: string;
}

/** One value of a learner's `metrics` event (loss, epsilon, ...), long format. */
export interface MetricRow {
  seed: number;
  step: number;
  name: string;
  value: number;
}

/** One greedy evaluation episode of a policy (the trained learner or a baseline). */
export interface EvaluationRow {
  policy: string;
  kind: 'learner' | 'baseline';
  seed: number;
  episode: number;
  return: number;
  length: number;
}

const ints = (v: number[]) => vectorFromArray(v, new Int32());
const floats = (v: number[]) => vectorFromArray(v, new Float64());
const strings = (v: string[]) => vectorFromArray(v, new Utf8());

/** An empty table is not written (no file until the first row): readers treat a missing file as no rows. */
async function write(runDir: string, relative: string, table: Table): Promise<void> {
  if (table.numRows === 0) return;
  await writeParquetFile(runDir, relative, table.schema, table.batches, {
    metadata: new Map([['twinforge.metrics', relative]]),
  });
}

/** metrics/learning-curves.parquet: policy, kind, seed, episode, return, length, steps, scenario_id. */
export async function writeLearningCurves(
  runDir: string,
  relative: string,
  rows: readonly EpisodeRow[],
): Promise<void> {
  await write(
    runDir,
    relative,
    new Table({
      policy: strings(rows.map((r) => r.policy)),
      kind: strings(rows.map((r) => r.kind)),
      seed: ints(rows.map((r) => r.seed)),
      episode: ints(rows.map((r) => r.episode)),
      return: floats(rows.map((r) => r.return)),
      length: ints(rows.map((r) => r.length)),
      steps: floats(rows.map((r) => r.steps)),
      scenario_id: strings(rows.map((r) => r.scenarioId)),
    }),
  );
}

export async function writeTrainMetrics(runDir: string, relative: string, rows: readonly MetricRow[]): Promise<void> {
  await write(
    runDir,
    relative,
    new Table({
      seed: ints(rows.map((r) => r.seed)),
      step: floats(rows.map((r) => r.step)),
      name: strings(rows.map((r) => r.name)),
      value: floats(rows.map((r) => r.value)),
    }),
  );
}

export async function writeEvaluation(runDir: string, relative: string, rows: readonly EvaluationRow[]): Promise<void> {
  await write(
    runDir,
    relative,
    new Table({
      policy: strings(rows.map((r) => r.policy)),
      kind: strings(rows.map((r) => r.kind)),
      seed: ints(rows.map((r) => r.seed)),
      episode: ints(rows.map((r) => r.episode)),
      return: floats(rows.map((r) => r.return)),
      length: ints(rows.map((r) => r.length)),
    }),
  );
}

/** Reads a metrics table back as plain row objects (the report's input). */
export async function readRows<T>(runDir: string, relative: string): Promise<T[]> {
  const { table } = await readParquetFile(runDir, relative);
  const names = table.schema.fields.map((f) => f.name);
  const rename: Record<string, string> = { scenario_id: 'scenarioId' };
  const out: T[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const name of names) row[rename[name] ?? name] = table.getChild(name)?.get(i);
    out.push(row as T);
  }
  return out;
}
