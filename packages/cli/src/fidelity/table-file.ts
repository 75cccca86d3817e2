import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { didYouMean, TwinforgeError } from '@twinforge/core';
import { readParquetFile } from '@twinforge/data';
import type { Table } from 'apache-arrow';
import { displayPath } from '../util/display-path.js';

/** Tables of the mesh scenario dataset (`npm run dataset:mesh-scenarios`), relative to its root. */
export const SCENARIO_DATASET_FILES = {
  snapshots: 'data/snapshots.parquet',
  events: 'data/events.parquet',
  scenarios: 'data/scenarios.parquet',
} as const;

export interface TableFile {
  /** Directory and path below it, as readParquetFile takes them. */
  readonly root: string;
  readonly relative: string;
  /** What messages show: relative to the working directory when inside it. */
  readonly display: string;
  /** Set when the argument was a dataset directory (its other tables can be read too). */
  readonly datasetDir?: string;
}

/**
 * A Parquet file, or a dataset directory whose `table` (e.g. data/snapshots.parquet) is used. A path that does not
 * exist is FILE_NOT_FOUND; a directory without that table is DATASET_NOT_FOUND.
 */
export function resolveTableFile(path: string, cwd: string, table: string, what: string): TableFile {
  const abs = resolve(cwd, path);
  if (!existsSync(abs)) {
    throw new TwinforgeError('FILE_NOT_FOUND', `${what} not found: ${path} does not exist`, { details: { path: abs } });
  }
  if (statSync(abs).isDirectory()) {
    if (!existsSync(join(abs, table))) {
      throw new TwinforgeError(
        'DATASET_NOT_FOUND',
        `${path} is a directory without ${table}: give a Parquet file or a dataset written by npm run dataset:mesh-scenarios`,
        { details: { path: abs, table } },
      );
    }
    return { root: abs, relative: table, display: displayPath(cwd, join(abs, table)), datasetDir: abs };
  }
  return { root: dirname(abs), relative: basename(abs), display: displayPath(cwd, abs) };
}

/** The whole table (readParquetFile checks the magic and footer first: a truncated or foreign file says so). */
export async function readTable(file: TableFile): Promise<Table> {
  return (await readParquetFile(file.root, file.relative)).table;
}

export interface ColumnVector {
  get(i: number): unknown;
  readonly length: number;
}

/** A column by name; a missing one is DATASET_SCHEMA_MISMATCH naming it and the closest existing column. */
export function requireColumn(table: Table, name: string, file: TableFile): ColumnVector {
  const column = table.getChild(name) as ColumnVector | null;
  if (!column) {
    const names = table.schema.fields.map((f) => f.name);
    throw new TwinforgeError(
      'DATASET_SCHEMA_MISMATCH',
      `${file.display} has no column "${name}".${didYouMean(name, names)} Columns: ${names.join(', ')}`,
      { details: { file: file.display, column: name } },
    );
  }
  return column;
}
