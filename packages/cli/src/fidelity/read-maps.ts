import { TwinforgeError } from '@twinforge/core';
import { DataType } from 'apache-arrow';
import {
  type ColumnVector,
  readTable,
  requireColumn,
  resolveTableFile,
  SCENARIO_DATASET_FILES,
  type TableFile,
} from './table-file.js';

/** Square maps of one grid column of a table, with the per-row target counts when asked for. */
export interface MapColumn {
  readonly file: TableFile;
  readonly column: string;
  readonly width: number;
  readonly height: number;
  readonly maps: Float32Array[];
  readonly targets?: number[];
}

/**
 * Reads the grid column `column` of a Parquet file (or `<dataset>/data/snapshots.parquet`): one FixedSizeList (or
 * List) of numbers per row holding a square n×n map, row-major. Errors name the file and column: a missing column or
 * one that is not a list of numbers, rows of different lengths and a non-square length are DATASET_SCHEMA_MISMATCH;
 * a null map is DATASET_CORRUPT. `targets` names a numeric column of integer counts (e.g. `jammer_count`).
 */
export async function readMapColumn(
  path: string,
  cwd: string,
  column: string,
  options: { readonly what: string; readonly targets?: string },
): Promise<MapColumn> {
  const file = resolveTableFile(path, cwd, SCENARIO_DATASET_FILES.snapshots, options.what);
  const table = await readTable(file);
  const grid = requireColumn(table, column, file);
  const field = table.schema.fields.find((f) => f.name === column);
  const item =
    field && (DataType.isFixedSizeList(field.type) || DataType.isList(field.type))
      ? field.type.children[0]?.type
      : undefined;
  if (!item || !(DataType.isFloat(item) || DataType.isInt(item))) {
    throw new TwinforgeError(
      'DATASET_SCHEMA_MISMATCH',
      `${file.display}: column "${column}" is ${String(field?.type)}, not a list of numbers (a map per row)`,
      { details: { file: file.display, column } },
    );
  }
  if (table.numRows === 0) {
    throw new TwinforgeError('INVALID_ARGUMENT', `${file.display} has no rows: no maps to compare`, {
      details: { file: file.display },
    });
  }
  const maps: Float32Array[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const cell = grid.get(i) as { toArray(): ArrayLike<number | bigint> } | null;
    if (!cell) {
      throw new TwinforgeError('DATASET_CORRUPT', `${file.display}: "${column}" is null in row ${i}`, {
        details: { file: file.display, column, row: i },
      });
    }
    const values = cell.toArray();
    const map = values instanceof Float32Array ? Float32Array.from(values) : Float32Array.from(values, Number);
    if (map.length !== maps[0]?.length && i > 0) {
      throw new TwinforgeError(
        'DATASET_SCHEMA_MISMATCH',
        `${file.display}: "${column}" has ${map.length} values in row ${i} but ${maps[0]?.length} in row 0`,
        { details: { file: file.display, column, row: i } },
      );
    }
    maps.push(map);
  }
  const cells = (maps[0] as Float32Array).length;
  const side = Math.round(Math.sqrt(cells));
  if (cells === 0 || side * side !== cells) {
    throw new TwinforgeError(
      'DATASET_SCHEMA_MISMATCH',
      `${file.display}: "${column}" has ${cells} values per row, not a square n×n grid`,
      { details: { file: file.display, column, cells } },
    );
  }
  const out = { file, column, width: side, height: side, maps };
  return options.targets === undefined
    ? out
    : {
        ...out,
        targets: readCounts(table.numRows, requireColumn(table, options.targets, file), options.targets, file),
      };
}

/** Integer counts ≥ 0 of a numeric column (int64 comes as bigint). */
function readCounts(rows: number, column: ColumnVector, name: string, file: TableFile): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    const raw = column.get(i);
    const v = typeof raw === 'bigint' || typeof raw === 'number' ? Number(raw) : Number.NaN;
    if (!Number.isInteger(v) || v < 0) {
      throw new TwinforgeError(
        'DATASET_SCHEMA_MISMATCH',
        `${file.display}: --targets column "${name}" must hold counts (integers >= 0), row ${i} has ${String(raw)}`,
        { details: { file: file.display, column: name, row: i } },
      );
    }
    out.push(v);
  }
  return out;
}

/** Maps of two files must have one grid size: DATASET_SCHEMA_MISMATCH naming both otherwise. */
export function assertSameGrid(reference: MapColumn, other: MapColumn): void {
  if (reference.width !== other.width || reference.height !== other.height) {
    throw new TwinforgeError(
      'DATASET_SCHEMA_MISMATCH',
      `${other.file.display}: "${other.column}" holds ${other.width}x${other.height} maps but ${reference.file.display} ` +
        `holds ${reference.width}x${reference.height}: compare maps of one size`,
      { details: { file: other.file.display, column: other.column } },
    );
  }
}
