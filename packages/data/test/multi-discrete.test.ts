import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type DatasetSinkInfo, isTwinforgeError, type StepRecord } from '@twinforge/core';
import type { RecordBatch, Table } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DatasetInfo,
  DatasetReader,
  exportJsonl,
  inspectDataset,
  ParquetDatasetSink,
  toD4rl,
} from '../src/index.js';
import { tempDir, trajectory, writeDataset } from './helpers.js';

/**
 * The tactical-mesh shape: every agent picks [next-hop slot, power level, channel] from MultiDiscrete([5, 3, 4]);
 * the second entry starts at -1 here so negative values (two's complement int64) are covered too.
 */
const NVEC = [5, 3, 4];
const START = [0, -1, 0];
const meshSpace = { type: 'MultiDiscrete', nvec: NVEC, start: START };

function meshInfo(agents: string[], actionSpace: unknown = meshSpace): DatasetSinkInfo {
  return {
    runId: 'md',
    seed: 11,
    environment: 'mesh-like',
    agents,
    observationSpace: { type: 'Box', shape: [3], low: -1, high: 1, dtype: 'float32' },
    // A parallel environment hands the sink one space per agent.
    actionSpace: Object.fromEntries(agents.map((a) => [a, actionSpace])),
  };
}

/** Action of agent `k` at step `t`: every entry walks its range, so all values (negative ones too) appear. */
const meshAction = (k: number) => (t: number) =>
  Int32Array.from(NVEC, (n, j) => (START[j] as number) + ((t + k + j) % n));

/** Row `i` of a table's action column as int64 values. */
function actionAt(table: Table | RecordBatch, i: number): bigint[] {
  const col = table.getChild('action');
  if (col === null) throw new Error('no action column');
  return [...(col.get(i).toArray() as BigInt64Array)];
}

function expectCode(fn: () => unknown, code: string, ...fragments: string[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isTwinforgeError(caught), String(caught)).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  for (const f of fragments) expect(String((caught as Error).message)).toContain(f);
}

describe('MultiDiscrete and MultiBinary actions', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('are FixedSizeList<int64, k>; info.json keeps nvec and start, features say int64 [k]', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const records = [...trajectory(0, 'n0', 4, 3, meshAction(0)), ...trajectory(0, 'n1', 3, 3, meshAction(1))];
    await writeDataset(dir, meshInfo(['n0', 'n1']), records);
    const info = JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8')) as DatasetInfo;
    expect(info.trajectory.action_space).toEqual({ n0: meshSpace, n1: meshSpace });
    expect(info.features.action).toEqual({ dtype: 'int64', shape: [3], names: null });

    const reader = await DatasetReader.open(dir);
    expect(String(reader.schema.fields.find((f) => f.name === 'action')?.type)).toBe('FixedSizeList[3]<Int64>');
    const ep = reader.episode(0, 'n1');
    for (let i = 0; i < ep.numRows; i++) {
      const want = i < 3 ? [...meshAction(1)(i)].map(BigInt) : [0n, 0n, 0n];
      expect(actionAt(ep, i)).toEqual(want);
    }
    // Statistics per entry over the rows that have an action.
    const stats = reader.stats().action;
    const acted = records.filter((r) => !r.isLast).map((r) => r.action as Int32Array);
    expect(stats?.count).toEqual([acted.length]);
    expect(stats?.min).toEqual([0, 1, 2].map((j) => Math.min(...acted.map((a) => a[j] as number))));
    expect(stats?.max).toEqual([0, 1, 2].map((j) => Math.max(...acted.map((a) => a[j] as number))));
  });

  it('MultiBinary(n) is the same int64 column, from Int8Array values', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const bits = (s: number) => Int8Array.from([s & 1, (s >> 1) & 1, 1, 0]);
    await writeDataset(dir, meshInfo(['a'], { type: 'MultiBinary', n: 4 }), trajectory(0, 'a', 4, 3, bits));
    const reader = await DatasetReader.open(dir);
    expect(reader.info.trajectory.action_space).toEqual({ a: { type: 'MultiBinary', n: 4 } });
    expect(actionAt(reader.table(), 3)).toEqual([1n, 1n, 1n, 0n]);
    expect(reader.info.features.action).toEqual({ dtype: 'int64', shape: [4], names: null });
  });

  it('a wrong width or a value outside nvec is DATASET_SCHEMA_MISMATCH naming the field; nothing is half-written', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const sink = new ParquetDatasetSink({ dir, encoderThreads: 0 });
    await sink.open(meshInfo(['a']));
    const [first, second, last] = trajectory(0, 'a', 2, 3, meshAction(0)) as [StepRecord, StepRecord, StepRecord];
    sink.write(first);
    const bad = (action: unknown) => () => sink.write({ ...second, action });
    expectCode(bad(Int32Array.from([1, 0])), 'DATASET_SCHEMA_MISMATCH', 'action', 'expected 3 values', 'got 2');
    expectCode(bad([1, 0, 0, 0]), 'DATASET_SCHEMA_MISMATCH', 'action', 'got 4');
    // Entry 0 is fine and would be copied first: entry 1 (start -1, n 3: -1..1) is out of range.
    expectCode(bad(Int32Array.from([4, 2, 0])), 'DATASET_SCHEMA_MISMATCH', 'action[1]', '[-1, 2)', 'got 2');
    expectCode(bad([4, -2, 0]), 'DATASET_SCHEMA_MISMATCH', 'action[1]', 'got -2');
    expectCode(bad([0, 0, 4]), 'DATASET_SCHEMA_MISMATCH', 'action[2]', '[0, 4)');
    expectCode(bad([0.5, 0, 0]), 'DATASET_SCHEMA_MISMATCH', 'action[0]', 'got 0.5');
    expectCode(bad(['1', 0, 0]), 'DATASET_SCHEMA_MISMATCH', 'action[0]');
    expectCode(bad(2), 'DATASET_SCHEMA_MISMATCH', 'action', 'array of 3 integers');
    expectCode(bad(null), 'DATASET_SCHEMA_MISMATCH', 'action', 'missing action');
    expectCode(() => sink.write({ ...second, action: [0, 0, Number.NaN] }), 'DATASET_SCHEMA_MISMATCH', 'action[2]');
    expect(sink.rows).toBe(1);
    sink.write(second);
    sink.write(last);
    await sink.close();

    const reader = await DatasetReader.open(dir);
    expect(reader.table().numRows).toBe(3);
    // Row 1 holds the good record's action, not the entries a rejected record copied before failing.
    expect(actionAt(reader.table(), 1)).toEqual([...(second.action as Int32Array)].map(BigInt));
    expect(actionAt(reader.table(), 2)).toEqual([0n, 0n, 0n]);
  });

  it('a MultiBinary value other than 0 or 1 is refused', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const sink = new ParquetDatasetSink({ dir: join(t.dir, 'ds'), encoderThreads: 0 });
    await sink.open(meshInfo(['a'], { type: 'MultiBinary', n: 2 }));
    const [good] = trajectory(0, 'a', 1, 3, () => Int8Array.from([1, 0]));
    if (!good) throw new Error('no record');
    expectCode(() => sink.write({ ...good, action: Int8Array.from([1, 2]) }), 'DATASET_SCHEMA_MISMATCH', 'action[1]');
    expectCode(() => sink.write({ ...good, action: Int8Array.from([-1, 0]) }), 'DATASET_SCHEMA_MISMATCH', 'action[0]');
    expect(sink.rows).toBe(0);
    await sink.abort(new Error('done'));
  });

  it('agents with different nvec cannot share the column, and the error names both', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const info = meshInfo(['a', 'b']);
    info.actionSpace = { a: meshSpace, b: { type: 'MultiDiscrete', nvec: [5, 3, 6], start: START } };
    await expect(new ParquetDatasetSink({ dir }).open(info)).rejects.toMatchObject({
      code: 'DATASET_SCHEMA_MISMATCH',
      message: expect.stringContaining(
        'agent b has MultiDiscrete([5, 3, 6], start [0, -1, 0]) but a has MultiDiscrete([5, 3, 4]',
      ),
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('inspect, toD4rl, exportJsonl and batches handle the int64 list column', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const a = trajectory(0, 'a', 3, 3, meshAction(0));
    const b = trajectory(0, 'b', 2, 3, meshAction(1));
    // Row groups of 2 rows: batches() reassembles the list column across them.
    await writeDataset(dir, meshInfo(['a', 'b']), [...a, ...b], { rowGroupSize: 2, encoderThreads: 0 });
    const reader = await DatasetReader.open(dir);

    const summary = inspectDataset(reader);
    expect(summary.columns.find((c) => c.name === 'action')?.type).toBe('FixedSizeList[3]<Int64>');
    expect(summary.stats.action?.mean).toHaveLength(3);

    const d = toD4rl(reader);
    expect(d.actionDtype).toBe('int64');
    expect(d.actionWidth).toBe(3);
    expect(d.steps).toBe(5);
    const sent = [...a, ...b].filter((r) => !r.isLast).flatMap((r) => [...(r.action as Int32Array)]);
    expect([...d.actions]).toEqual(sent);
    expect([...d.nextObservations.subarray(0, 3)]).toEqual(Array.from(a[1]?.observation as Float32Array));

    const path = join(t.dir, 'rows.jsonl');
    expect(exportJsonl(reader, path)).toBe(7);
    const rows = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[1]?.action).toEqual(Array.from(a[1]?.action as Int32Array));
    expect(rows[3]?.action).toEqual([0, 0, 0]);

    const got: bigint[][] = [];
    for await (const batch of reader.batches({ agents: ['b'], columns: ['action'], batchRows: 1 })) {
      for (let i = 0; i < batch.numRows; i++) got.push(actionAt(batch, i));
    }
    expect(got).toEqual([
      ...b.map((r) => (r.action === null ? [0n, 0n, 0n] : [...(r.action as Int32Array)].map(BigInt))),
    ]);
  });

  it('resume continues a MultiDiscrete dataset, also one whose metadata a crash never wrote', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const info = meshInfo(['a']);
    const old = [...trajectory(0, 'a', 3, 3, meshAction(0)), ...trajectory(1, 'a', 2, 3, meshAction(2))];
    await writeDataset(dir, info, old, { encoderThreads: 0 });
    // A run killed while closing: the data file is complete, meta/ is not.
    rmSync(join(dir, 'meta'), { recursive: true });
    const fresh = trajectory(0, 'a', 4, 3, meshAction(1));
    await writeDataset(dir, info, fresh, { encoderThreads: 0, resume: true });
    const reader = await DatasetReader.open(dir);
    expect(reader.table().numRows).toBe(old.length + fresh.length);
    expect(reader.stats().action?.count).toEqual([old.length + fresh.length - 3]);
    const ep = reader.episode(2, 'a');
    expect(actionAt(ep, 1)).toEqual(Array.from(fresh[1]?.action as Int32Array, BigInt));
  });
});

describe('spaces the layout cannot store', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  const open = async (observationSpace: unknown, actionSpace: unknown) => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const info: DatasetSinkInfo = {
      runId: 'r',
      seed: 1,
      environment: 'e',
      agents: ['a'],
      observationSpace,
      actionSpace,
    };
    const error = await new ParquetDatasetSink({ dir }).open(info).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Refused before anything was created.
    expect(existsSync(dir)).toBe(false);
    return error as Error & { code: string };
  };
  const box = { type: 'Box', shape: [2], low: -1, high: 1, dtype: 'float32' };

  it('a Dict action space of discrete parts: the error names the space and the MultiDiscrete to use', async () => {
    const e = await open(box, {
      type: 'Dict',
      spaces: {
        power: { type: 'Discrete', n: 3, start: 0 },
        hop: { type: 'MultiDiscrete', nvec: [4, 2], start: [0, 0] },
      },
    });
    expect(e.code).toBe('DATASET_SCHEMA_MISMATCH');
    expect(e.message).toContain('action: Dict spaces are not supported');
    // Keys in flatten order (sorted): hop, then power.
    expect(e.message).toContain('MultiDiscrete([4, 2, 3])');
    expect(e.message).toContain('FlattenObservation');
  });

  it('a Tuple action with a continuous part: the flat Box', async () => {
    const e = await open(box, { type: 'Tuple', spaces: [box, { type: 'Discrete', n: 3, start: 0 }] });
    expect(e.code).toBe('DATASET_SCHEMA_MISMATCH');
    expect(e.message).toContain('action: Tuple spaces are not supported');
    expect(e.message).toContain('Box(shape [5])');
  });

  it('a per-agent map holding a Dict names the agent', async () => {
    const e = await open(box, { a: { type: 'Dict', spaces: { x: { type: 'Discrete', n: 2, start: 0 } } } });
    expect(e.message).toContain('action[a]: Dict spaces are not supported');
  });

  it('Dict and MultiDiscrete observations point to FlattenObservation and its Box', async () => {
    const dict = await open({ type: 'Dict', spaces: { pos: box, mode: { type: 'Discrete', n: 4, start: 0 } } }, box);
    expect(dict.code).toBe('DATASET_SCHEMA_MISMATCH');
    expect(dict.message).toContain('observation.state: Dict spaces are not supported');
    expect(dict.message).toContain('FlattenObservation of @twinforge/rl, which gives Box(shape [6])');
    const md = await open({ type: 'MultiDiscrete', nvec: [3, 4], start: [0, 0] }, box);
    expect(md.message).toContain('a MultiDiscrete([3, 4]) observation space is not supported');
    expect(md.message).toContain('Box(shape [7])');
  });
});
