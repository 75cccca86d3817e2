import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createRng, type StepRecord } from '@twinforge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetReader } from '../src/index.js';
import { encodingPlan } from '../src/parquet-encodings.js';
import { parquetWasm } from '../src/parquet-wasm.js';
import { TrajectoryBatchBuilder } from '../src/trajectory-batch-builder.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

const { Encoding } = parquetWasm;

/** One 40-step trajectory whose observations are continuous (random) or repeat a few values. */
function records(kind: 'continuous' | 'repeated'): StepRecord[] {
  const rng = createRng(kind === 'continuous' ? 1 : 2);
  return trajectory(0, 'agent_0', 40, 4, () => [0.5, -0.25]).map((r, t) => ({
    ...r,
    observation:
      kind === 'continuous' ? rng.fillUniform(new Float32Array(4), -1, 1) : Float32Array.of(t % 3, 0, 1, t % 2),
  }));
}

function builderOf(rs: StepRecord[]): TrajectoryBatchBuilder {
  const b = new TrajectoryBatchBuilder({ kind: 'box', width: 4, json: null }, { kind: 'box', width: 2, json: null });
  for (const r of rs) b.append(r);
  return b;
}

describe('column encodings', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('splits the bytes of continuous floats, keeps repeated floats PLAIN, delta-packs int64, dictionaries strings', () => {
    const continuous = builderOf(records('continuous'));
    const plan = encodingPlan(continuous.schema, continuous.build());
    const of = (name: string) => plan.columns.find((c) => c.column === name);
    expect(plan.defaultEncoding).toBe(Encoding.BYTE_STREAM_SPLIT);
    expect(of('index')).toEqual({ column: 'index', encoding: Encoding.DELTA_BINARY_PACKED, dictionary: false });
    expect(of('agent_id')).toEqual({ column: 'agent_id', encoding: Encoding.PLAIN, dictionary: true });
    expect(of('is_last')).toEqual({ column: 'is_last', encoding: Encoding.PLAIN, dictionary: false });
    // Rewards cycle through three values in the helper's trajectories: repeated, so PLAIN.
    expect(of('next.reward')?.encoding).toBe(Encoding.PLAIN);
    const repeated = builderOf(records('repeated'));
    expect(encodingPlan(repeated.schema, repeated.build()).defaultEncoding).toBe(Encoding.PLAIN);
  });

  it('with an int64 vector action every list leaf stays PLAIN (no default encoding): DuckDB reads both', async () => {
    const multi = new TrajectoryBatchBuilder(
      { kind: 'box', width: 4, json: null },
      { kind: 'multi-discrete', space: 'MultiDiscrete', width: 2, nvec: [3, 3], start: [0, 0], json: null },
    );
    const rs = records('continuous').map((r, t) => ({ ...r, action: r.isLast ? null : Int32Array.of(t % 3, 2) }));
    for (const r of rs) multi.append(r);
    const plan = encodingPlan(multi.schema, multi.build());
    // parquet-wasm cannot address the leaves one by one, and DuckDB refuses BYTE_STREAM_SPLIT on INT64.
    expect(plan.defaultEncoding).toBeUndefined();
    expect(plan.columns.find((c) => c.column === 'index')?.encoding).toBe(Encoding.DELTA_BINARY_PACKED);
    const dir = join(t.dir, 'multi');
    await writeDataset(
      dir,
      { ...boxInfo(4, 2), actionSpace: { type: 'MultiDiscrete', nvec: [3, 3], start: [0, 0] } },
      rs,
      { encoderThreads: 0 },
    );
    const file = join(dir, 'data/chunk-000/file-000.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      const leaves = (
        await conn.runAndReadAll(
          `SELECT path_in_schema, type, encodings FROM parquet_metadata('${file}') WHERE path_in_schema LIKE '%item'`,
        )
      ).getRows() as [string, string, string][];
      expect(leaves.map(([p, type, enc]) => [p, type, enc.includes('BYTE_STREAM_SPLIT')])).toEqual([
        ['observation.state, list, item', 'FLOAT', false],
        ['action, list, item', 'INT64', false],
      ]);
      const rows = (
        await conn.runAndReadAll(`SELECT action::BIGINT[2] FROM read_parquet('${file}') ORDER BY index`)
      ).getRows() as [{ items: bigint[] }][];
      expect(rows.map(([a]) => a.items.map(Number))).toEqual(
        rs.map((r) => (r.action ? [...(r.action as Int32Array)] : [0, 0])),
      );
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('DuckDB and the reader decode both float encodings and the delta-packed integers exactly', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      for (const kind of ['continuous', 'repeated'] as const) {
        const dir = join(t.dir, kind);
        const rs = records(kind);
        await writeDataset(dir, boxInfo(4, 2), rs, { encoderThreads: 0 });
        const file = join(dir, 'data/chunk-000/file-000.parquet');
        const encodings = (
          await conn.runAndReadAll(`SELECT path_in_schema, encodings FROM parquet_metadata('${file}')`)
        ).getRows() as [string, string][];
        const obsEncoding = encodings.find(([p]) => p.startsWith('observation.state'))?.[1];
        expect(obsEncoding).toContain(kind === 'continuous' ? 'BYTE_STREAM_SPLIT' : 'PLAIN');
        expect(encodings.find(([p]) => p === 'frame_index')?.[1]).toContain('DELTA_BINARY_PACKED');
        const rows = (
          await conn.runAndReadAll(
            `SELECT index, frame_index, "observation.state"::FLOAT[4] FROM read_parquet('${file}') ORDER BY index`,
          )
        ).getRows() as [bigint, bigint, { items: number[] }][];
        const obsColumn = (await DatasetReader.open(dir)).table().getChild('observation.state');
        rs.forEach((r, i) => {
          const [index, frame, obs] = rows[i] as [bigint, bigint, { items: number[] }];
          expect([Number(index), Number(frame)]).toEqual([i, r.frameIndex]);
          expect(obs.items).toEqual([...(r.observation as Float32Array)]);
          expect(Array.from(obsColumn?.get(i).toArray() as Float32Array)).toEqual(obs.items);
        });
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
