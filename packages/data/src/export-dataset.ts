import { closeSync, openSync, writeSync } from 'node:fs';
import { type Data, DataType, type Field, Precision, type Table } from 'apache-arrow';
import type { DatasetReader } from './dataset-reader.js';
import { ACTION_COLUMN, OBSERVATION_COLUMN } from './schema.js';

/** A flat D4RL-style transition table: one entry per step (the final-observation rows become `nextObservations`). */
export interface D4rlTable {
  observations: Float32Array;
  /**
   * `actionWidth` per step: float32 vectors (Box), or integers as doubles (`actionDtype` int64): one per step for
   * Discrete, k per step for MultiDiscrete / MultiBinary.
   */
  actions: Float32Array | Float64Array;
  /** The dtype of the action column: float32 (Box) or int64 (Discrete, MultiDiscrete, MultiBinary). */
  actionDtype: 'float32' | 'int64';
  rewards: Float32Array;
  nextObservations: Float32Array;
  terminals: Uint8Array;
  timeouts: Uint8Array;
  episodeIndex: Float64Array;
  agentIds: string[];
  observationWidth: number;
  actionWidth: number;
  steps: number;
}

/** Whether this platform stores a BigInt64 as (low uint32, high uint32), which lets int64 values skip BigInt. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Copies `n` int64 values into `out` at `at` as doubles (the dataset's integers are safe integers). */
function copyInt64(values: BigInt64Array, n: number, out: Float64Array, at: number): void {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[at + i] = Number(values[i]);
    return;
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) out[at + i] = ((words[2 * i + 1] as number) | 0) * 4294967296 + (words[2 * i] as number);
}

/**
 * A column's values as one flat array, `width` per row (1 for a scalar column): float32 for float vectors, doubles
 * for int64 scalars and int64 vectors. Read chunk by chunk from the typed arrays underneath (arrow-js keeps a chunk's
 * values starting at its first row, slices included), so no object is made per row.
 */
function flatColumn(table: Table, column: string): { values: Float32Array | Float64Array; width: number } {
  const vec = table.getChild(column);
  if (vec === null) throw new TypeError(`no column ${column}`);
  const type = vec.type as DataType;
  // Types decoded from IPC are arrow-js's generic classes (Float, not Float32), so they are told apart by type id.
  const list = DataType.isFixedSizeList(type);
  const width = list ? type.listSize : 1;
  const leaf = list ? (type.children[0] as Field).type : type;
  const floats = DataType.isFloat(leaf) && leaf.precision === Precision.SINGLE;
  if (!floats && !(DataType.isInt(leaf) && leaf.bitWidth === 64)) {
    throw new TypeError(`${column}: expected float32 or int64 values, got ${String(type)}`);
  }
  const out = floats ? new Float32Array(table.numRows * width) : new Float64Array(table.numRows * width);
  let row = 0;
  for (const data of vec.data) {
    const values = (list ? (data.children[0] as Data) : data).values as Float32Array | BigInt64Array;
    const n = data.length * width;
    if (floats) out.set((values as Float32Array).subarray(0, n), row * width);
    else copyInt64(values as BigInt64Array, n, out as Float64Array, row * width);
    row += data.length;
  }
  return { values: out, width };
}

/** Converts the long layout (T+1 rows per trajectory) to (s, a, r, s', terminal, timeout) rows. */
export function toD4rl(reader: DatasetReader): D4rlTable {
  const table = reader.table();
  const n = table.numRows;
  const obs = flatColumn(table, OBSERVATION_COLUMN);
  const act = flatColumn(table, ACTION_COLUMN);
  const actionWidth = act.width;
  const integer = act.values instanceof Float64Array;
  const isLast = table.getChild('is_last');
  const steps: number[] = [];
  for (let i = 0; i < n; i++) if (!isLast?.get(i)) steps.push(i);
  const w = obs.width;
  const out: D4rlTable = {
    observations: new Float32Array(steps.length * w),
    actions: integer ? new Float64Array(steps.length * actionWidth) : new Float32Array(steps.length * actionWidth),
    actionDtype: integer ? 'int64' : 'float32',
    rewards: new Float32Array(steps.length),
    nextObservations: new Float32Array(steps.length * w),
    terminals: new Uint8Array(steps.length),
    timeouts: new Uint8Array(steps.length),
    episodeIndex: new Float64Array(steps.length),
    agentIds: [],
    observationWidth: w,
    actionWidth,
    steps: steps.length,
  };
  const reward = table.getChild('next.reward');
  const done = table.getChild('next.done');
  const truncated = table.getChild('next.truncated');
  const episode = table.getChild('episode_index');
  const agent = table.getChild('agent_id');
  steps.forEach((i, k) => {
    out.observations.set(obs.values.subarray(i * w, (i + 1) * w), k * w);
    // Rows of a trajectory are contiguous, so the next observation is the next row's.
    out.nextObservations.set(obs.values.subarray((i + 1) * w, (i + 2) * w), k * w);
    out.actions.set(act.values.subarray(i * actionWidth, (i + 1) * actionWidth), k * actionWidth);
    out.rewards[k] = reward?.get(i) as number;
    out.terminals[k] = done?.get(i) ? 1 : 0;
    out.timeouts[k] = truncated?.get(i) ? 1 : 0;
    out.episodeIndex[k] = Number(episode?.get(i));
    out.agentIds.push(agent?.get(i) as string);
  });
  return out;
}

/** Writes every row as one JSON object per line (vectors as arrays, int64 as numbers, also inside vectors). */
export function exportJsonl(reader: DatasetReader, path: string): number {
  const table = reader.table();
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < table.numRows; i++) {
      const row = table.get(i)?.toJSON() ?? {};
      const line = JSON.stringify(row, (_k, v: unknown) => {
        if (typeof v === 'bigint') return Number(v);
        if (v !== null && typeof v === 'object' && 'toArray' in v)
          return Array.from((v as { toArray(): ArrayLike<number> }).toArray());
        return v;
      });
      writeSync(fd, `${line}\n`);
    }
  } finally {
    closeSync(fd);
  }
  return table.numRows;
}
