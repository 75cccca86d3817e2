import { closeSync, openSync, writeSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import type { DatasetReader } from './dataset-reader.js';
import { ACTION_COLUMN, OBSERVATION_COLUMN } from './schema.js';

/** A flat D4RL-style transition table: one entry per step (the final-observation rows become `nextObservations`). */
export interface D4rlTable {
  observations: Float32Array;
  /** Float32 vectors (Box) or integers (Discrete), `actionWidth` per step. */
  actions: Float32Array | Float64Array;
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

function flatFloats(table: Table, column: string): { values: Float32Array; width: number } {
  const vec = table.getChild(column);
  const width = (vec?.type as { listSize?: number } | undefined)?.listSize ?? 1;
  const values = new Float32Array(table.numRows * width);
  for (let i = 0; i < table.numRows; i++) {
    const v = vec?.get(i);
    if (width === 1 && typeof v !== 'object') values[i] = Number(v);
    else values.set((v as { toArray(): Float32Array }).toArray(), i * width);
  }
  return { values, width };
}

/** Converts the long layout (T+1 rows per trajectory) to (s, a, r, s', terminal, timeout) rows. */
export function toD4rl(reader: DatasetReader): D4rlTable {
  const table = reader.table();
  const n = table.numRows;
  const obs = flatFloats(table, OBSERVATION_COLUMN);
  const actionVec = table.getChild(ACTION_COLUMN);
  const discrete = !('listSize' in (actionVec?.type ?? {}));
  const act = discrete ? undefined : flatFloats(table, ACTION_COLUMN);
  const actionWidth = act?.width ?? 1;
  const isLast = table.getChild('is_last');
  const steps: number[] = [];
  for (let i = 0; i < n; i++) if (!isLast?.get(i)) steps.push(i);
  const w = obs.width;
  const out: D4rlTable = {
    observations: new Float32Array(steps.length * w),
    actions: discrete ? new Float64Array(steps.length) : new Float32Array(steps.length * actionWidth),
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
    if (discrete) out.actions[k] = Number(actionVec?.get(i));
    else
      out.actions.set(
        (act as { values: Float32Array }).values.subarray(i * actionWidth, (i + 1) * actionWidth),
        k * actionWidth,
      );
    out.rewards[k] = reward?.get(i) as number;
    out.terminals[k] = done?.get(i) ? 1 : 0;
    out.timeouts[k] = truncated?.get(i) ? 1 : 0;
    out.episodeIndex[k] = Number(episode?.get(i));
    out.agentIds.push(agent?.get(i) as string);
  });
  return out;
}

/** Writes every row as one JSON object per line (vectors as arrays, int64 as numbers). */
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
