import {
  Bool,
  type Data,
  type DataType,
  type Field,
  FixedSizeList,
  Float32,
  Float64,
  Int64,
  type RecordBatch,
  type Schema,
  Utf8,
} from 'apache-arrow';

import { parquetWasm } from './parquet-wasm.js';

/** How one top-level column is encoded: a Parquet `Encoding` value, and whether a dictionary is tried first. */
export interface ColumnEncoding {
  column: string;
  encoding: number;
  dictionary: boolean;
}

/** Per-column Parquet encodings, applied by every encoder (in this thread or a worker) the same way. */
export interface EncodingPlan {
  /**
   * Encoding of the columns not named in `columns`: the float leaves of the vector columns (observation.state,
   * action), which parquet-wasm cannot address by name (their path has a part, `list.item`, under a name with a dot).
   */
  defaultEncoding?: number | undefined;
  columns: ColumnEncoding[];
}

const isFloat = (type: DataType) => type instanceof Float32 || type instanceof Float64;

/** Values of a float column looked at to choose its encoding. */
const SAMPLE_VALUES = 4096;

/**
 * Whether the first values of a float column (of a vector column's leaves) repeat: at most half of them distinct, as
 * in the toy-channel sample (317 distinct of 4096: running averages and one-hot flags), where PLAIN let ZSTD match
 * whole repeated values and made the column half the size byte splitting did. Continuous observations (CartPole,
 * Pendulum rollouts, random vectors) had 4092-4096 distinct values of 4096.
 */
function repeats(data: Data | undefined): boolean {
  if (data === undefined) return false;
  const vector = data.type instanceof FixedSizeList;
  const leaf = vector ? (data.children[0] as Data) : data;
  const start = leaf.offset + data.offset * (vector ? (data.type as FixedSizeList).listSize : 1);
  const values = leaf.values as Float32Array | Float64Array | undefined;
  if (values === undefined) return false; // an empty column
  const end = Math.min(values.length, start + SAMPLE_VALUES);
  const seen = new Set<number>();
  for (let i = start; i < end; i++) seen.add(values[i] as number);
  return end > start && seen.size * 2 <= end - start;
}

/**
 * The encodings of a file, chosen per column for write speed and size, all readable by DuckDB (≥ 0.10), pyarrow,
 * polars and parquet-wasm. `sample` (the file's first batch) lets float columns be looked at:
 * - float/double (and float vector leaves, when every vector column is float): BYTE_STREAM_SPLIT (Parquet 2.8), which puts the k-th byte of every value in stream k, so the
 *   sign/exponent bytes of continuous values sit together and ZSTD compresses them: on CartPole and Pendulum
 *   rollouts and on random vectors it made the column 9-13% smaller and encoding 20% faster than PLAIN. A column
 *   whose first values repeat (at most half distinct: categorical, one-hot, slowly updated) stays PLAIN, see repeats.
 * - int64: DELTA_BINARY_PACKED. index, frame_index and the other counters grow by 0 or 1 per row, so their deltas
 *   pack into a few bits and leave ZSTD almost nothing to do.
 * - strings (agent_id, scenario_id): dictionary (a handful of values repeated on every row), PLAIN as fallback.
 * - bool: PLAIN (bit-packed).
 * Dictionary encoding stays off for every other column: on floats it only costs time.
 */
export function encodingPlan(schema: Schema, sample?: RecordBatch): EncodingPlan {
  const { Encoding } = parquetWasm;
  const columns: ColumnEncoding[] = [];
  const floatEncoding = (i: number) =>
    repeats(sample?.data.children[i]) ? Encoding.PLAIN : Encoding.BYTE_STREAM_SPLIT;
  // The default encoding reaches every column not named below (the vector leaves); it is set only when those are all
  // float vectors, and follows the widest of them. With an int64 vector (a MultiDiscrete / MultiBinary action) no
  // default is set and every leaf stays PLAIN: parquet-wasm cannot give the leaves different encodings, DuckDB
  // (1.5) refuses BYTE_STREAM_SPLIT on INT64, and DELTA_BINARY_PACKED does not apply to floats. PLAIN + ZSTD is no
  // loss for the action (small integers: on 100k random rows of 3 values in 0..4 it was 15% smaller than
  // DELTA_BINARY_PACKED); the float observation loses BYTE_STREAM_SPLIT's 9-13%.
  let defaultIsSafe = true;
  let widest = -1;
  let widestSize = 0;
  for (const [i, field] of (schema.fields as Field[]).entries()) {
    const type = field.type;
    if (type instanceof FixedSizeList) {
      defaultIsSafe &&= isFloat((type.children[0] as Field).type);
      if (type.listSize > widestSize) [widest, widestSize] = [i, type.listSize];
      continue;
    }
    const name = field.name;
    if (type instanceof Int64)
      columns.push({ column: name, encoding: Encoding.DELTA_BINARY_PACKED, dictionary: false });
    else if (isFloat(type)) columns.push({ column: name, encoding: floatEncoding(i), dictionary: false });
    else if (type instanceof Utf8) columns.push({ column: name, encoding: Encoding.PLAIN, dictionary: true });
    else if (type instanceof Bool) columns.push({ column: name, encoding: Encoding.PLAIN, dictionary: false });
    else defaultIsSafe = false; // a type this plan does not know keeps the writer's default encoding
  }
  return widest >= 0 && defaultIsSafe ? { defaultEncoding: floatEncoding(widest), columns } : { columns };
}
