import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { readParquetFile } from '@twinforge/data';
import type { ConditionSpec, ConditionValues } from './diffusion/conditions.js';

/** Maps of one column of the scenario dataset with their conditions and scenario of origin. */
export interface SnapshotMaps {
  readonly width: number;
  readonly height: number;
  readonly maps: Float32Array[];
  readonly conditions: ConditionValues[];
  /** scenarios.parquet row of each map: split train/test by scenario, never by snapshot (snapshots of one episode are correlated). */
  readonly scenarioIndex: number[];
  /** meta/info.json of the dataset. */
  readonly info: Record<string, unknown>;
}

export const SNAPSHOTS_FILE = 'data/snapshots.parquet';

interface ArrowVector {
  get(i: number): unknown;
  readonly length: number;
}

/**
 * Reads one grid column (e.g. `jamming_dBm_16`) and the condition columns of the mesh scenario dataset written by
 * `npm run dataset:mesh-scenarios` (`<root>/data/snapshots.parquet`, FixedSizeList<float32, n·n> per row). The grid
 * must be square; values are copied out of Arrow. A missing file is DATASET_NOT_FOUND, a missing column
 * DATASET_SCHEMA_MISMATCH, a condition value outside 0..levels−1 INVALID_ARGUMENT.
 */
export async function readSnapshotMaps(
  root: string,
  column: string,
  specs: readonly ConditionSpec[],
): Promise<SnapshotMaps> {
  if (!existsSync(join(root, SNAPSHOTS_FILE))) {
    throw new TwinforgeError(
      'DATASET_NOT_FOUND',
      `${join(root, SNAPSHOTS_FILE)} not found: generate it with npm run dataset:mesh-scenarios`,
    );
  }
  const infoPath = join(root, 'meta', 'info.json');
  const info = existsSync(infoPath) ? (JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, unknown>) : {};
  const { table } = await readParquetFile(root, SNAPSHOTS_FILE);
  const child = (name: string): ArrowVector => {
    const v = table.getChild(name) as ArrowVector | null;
    if (!v) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${SNAPSHOTS_FILE} has no column "${name}"`, {
        details: { column: name },
      });
    }
    return v;
  };
  const grid = child(column);
  const conds = specs.map((s) => child(s.column));
  const scen = child('scenario_index');
  const maps: Float32Array[] = [];
  const conditions: ConditionValues[] = [];
  const scenarioIndex: number[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const cell = grid.get(i) as { toArray(): ArrayLike<number> } | null;
    if (!cell) throw new TwinforgeError('DATASET_CORRUPT', `${SNAPSHOTS_FILE}: ${column} is null in row ${i}`);
    maps.push(Float32Array.from(cell.toArray()));
    conditions.push(
      specs.map((s, j) => {
        const v = Number((conds[j] as ArrowVector).get(i));
        if (!Number.isInteger(v) || v < 0 || v >= s.levels) {
          throw new TwinforgeError(
            'INVALID_ARGUMENT',
            `${SNAPSHOTS_FILE} row ${i}: ${s.column} = ${v} is outside the ${s.levels} levels of condition ${s.name}`,
          );
        }
        return v;
      }),
    );
    scenarioIndex.push(Number(scen.get(i)));
  }
  const cells = maps[0]?.length ?? 0;
  const side = Math.round(Math.sqrt(cells));
  if (side * side !== cells) {
    throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${column} has ${cells} values per row, not a square grid`);
  }
  return { width: side, height: side, maps, conditions, scenarioIndex, info };
}
