import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { DatasetReader, exportJsonl, INFO_FILE, inspectDataset, toD4rl } from '@twinforge/data';
import { RUN_FILES } from '../run/run-directory.js';
import { UsageError } from '../util/exit.js';
import type { Io } from '../util/io.js';
import { renderTable } from '../util/table.js';

/** A dataset directory, or a run directory whose dataset/ is used. */
export function resolveDataset(path: string, cwd: string): { dataset: string; runDir?: string } {
  const abs = resolve(cwd, path);
  if (existsSync(join(abs, INFO_FILE))) return { dataset: abs };
  if (existsSync(join(abs, RUN_FILES.dataset, INFO_FILE)))
    return { dataset: join(abs, RUN_FILES.dataset), runDir: abs };
  if (!existsSync(abs)) {
    throw new TwinforgeError('FILE_NOT_FOUND', `dataset not found: ${path} does not exist`, { details: { path: abs } });
  }
  throw new TwinforgeError(
    'DATASET_NOT_FOUND',
    `${path} is neither a dataset (no ${INFO_FILE}) nor a run directory with a dataset; an incomplete run has none`,
    { details: { path: abs } },
  );
}

export async function dataInspectCommand(path: string, options: { json: boolean }, io: Io): Promise<number> {
  const { dataset } = resolveDataset(path, io.cwd);
  const summary = inspectDataset(await DatasetReader.open(dataset));
  if (options.json) {
    io.out.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${summary.datasetId} (format ${summary.formatVersion}, environment ${summary.environment})${summary.complete ? '' : ' [partial]'}`,
    `  ${summary.frames} rows, ${summary.episodes} episodes, ${summary.trajectories} trajectories, ` +
      `${summary.agents.length} agent(s), ${summary.scenarios.length} scenario(s), ${summary.files} files, ${summary.bytes} bytes`,
    '',
    renderTable(
      ['column', 'type'],
      summary.columns.map((c) => [c.name, c.type]),
    ),
    '',
    renderTable(
      ['feature', 'count', 'min', 'max', 'mean', 'std'],
      Object.entries(summary.stats).map(([name, s]) => {
        const v = (x: unknown) =>
          Array.isArray(x)
            ? x.length > 4
              ? `[${x.slice(0, 4).map(short).join(', ')}, …]`
              : `[${x.map(short).join(', ')}]`
            : short(x);
        return [name, v(s.count[0]), v(s.min), v(s.max), v(s.mean), v(s.std)];
      }),
    ),
  ];
  io.out.write(`${lines.join('\n')}\n`);
  return 0;
}

function short(x: unknown): string {
  return typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : String(x);
}

export async function dataExportCommand(
  path: string,
  options: { format: string; out: string },
  io: Io,
): Promise<number> {
  const { dataset } = resolveDataset(path, io.cwd);
  const out = resolve(io.cwd, options.out);
  const reader = await DatasetReader.open(dataset);
  if (options.format === 'jsonl') {
    const rows = exportJsonl(reader, out);
    io.out.write(`wrote ${rows} rows to ${options.out}\n`);
    return 0;
  }
  if (options.format === 'd4rl') {
    const t = toD4rl(reader);
    const rows = (flat: ArrayLike<number>, width: number) =>
      Array.from({ length: t.steps }, (_v, i) =>
        Array.from(Array.prototype.slice.call(flat, i * width, (i + 1) * width)),
      );
    const json = {
      observations: rows(t.observations, t.observationWidth),
      actions: t.actionWidth === 1 ? Array.from(t.actions) : rows(t.actions, t.actionWidth),
      rewards: Array.from(t.rewards),
      next_observations: rows(t.nextObservations, t.observationWidth),
      terminals: Array.from(t.terminals, Boolean),
      timeouts: Array.from(t.timeouts, Boolean),
      episode_index: Array.from(t.episodeIndex),
      agent_ids: t.agentIds,
    };
    writeFileSync(out, JSON.stringify(json));
    io.out.write(`wrote ${t.steps} transitions (D4RL layout) to ${options.out}\n`);
    return 0;
  }
  throw new UsageError(`--format must be jsonl or d4rl, got "${options.format}"`);
}

interface DuckDb {
  DuckDBInstance: {
    create(path: string): Promise<{
      connect(): Promise<{
        run(sql: string): Promise<unknown>;
        runAndReadAll(
          sql: string,
        ): Promise<{ columnNames(): string[]; getRowObjectsJson(): Record<string, unknown>[] }>;
        closeSync(): void;
      }>;
      closeSync(): void;
    }>;
  };
}

/** @duckdb/node-api is an optional dependency: a native addon some platforms lack, and only `query` needs it. */
export async function loadDuckDb(name = '@duckdb/node-api'): Promise<DuckDb> {
  try {
    return (await import(name)) as DuckDb;
  } catch (error) {
    throw new TwinforgeError(
      'DEPENDENCY_MISSING',
      `twinforge data query needs DuckDB, which is not installed here: npm install ${name} ` +
        `(or read the Parquet files with any other engine: ${String((error as Error).message).split('\n')[0]})`,
      { cause: error, details: { package: name } },
    );
  }
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Runs SQL with views over the dataset (`steps`, `episodes`) and, for a run directory, its metrics
 * (`learning_curves`, `evaluation`, `train_metrics`).
 */
export async function dataQueryCommand(
  path: string,
  sql: string,
  options: { json: boolean; maxRows: number },
  io: Io,
): Promise<number> {
  const { dataset, runDir } = resolveDataset(path, io.cwd);
  const duckdb = await loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const views: [string, string][] = [
      ['steps', join(dataset, 'data', '*', '*.parquet')],
      ['episodes', join(dataset, 'meta', 'episodes', '*', '*.parquet')],
    ];
    if (runDir) {
      views.push(['learning_curves', join(runDir, RUN_FILES.learningCurves)]);
      views.push(['evaluation', join(runDir, RUN_FILES.evaluation)]);
      views.push(['train_metrics', join(runDir, RUN_FILES.trainMetrics)]);
    }
    for (const [name, glob] of views) {
      if (glob.includes('*') || existsSync(glob)) {
        await conn.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(glob)})`);
      }
    }
    let result: Awaited<ReturnType<typeof conn.runAndReadAll>>;
    try {
      result = await conn.runAndReadAll(sql);
    } catch (error) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `DuckDB rejected the query: ${(error as Error).message} (views: ${views.map(([n]) => n).join(', ')})`,
        { cause: error },
      );
    }
    const rows = result.getRowObjectsJson();
    if (options.json) {
      io.out.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    const columns = result.columnNames();
    const shown = rows.slice(0, options.maxRows);
    io.out.write(
      `${renderTable(
        columns,
        shown.map((r) => columns.map((c) => (typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c]))),
      )}\n`,
    );
    if (rows.length > shown.length)
      io.out.write(`(${rows.length - shown.length} more rows; --max-rows to show them)\n`);
    return 0;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
