import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTwinforgeError, type TwinforgeErrorCode } from '@twinforge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatasetInfo, DatasetReader, ParquetDatasetSink } from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

function expectCode(fn: () => unknown, code: TwinforgeErrorCode, field?: string): void {
  try {
    fn();
  } catch (error) {
    expect(isTwinforgeError(error, code), String(error)).toBe(true);
    if (field !== undefined) expect(String((error as Error).message)).toContain(field);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('ParquetDatasetSink', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('writes the LeRobot v3 layout with info.json, episodes and data', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const records = [
      ...trajectory(0, 'agent_0', 4, 3, (s) => s % 5),
      ...trajectory(1, 'agent_0', 2, 3, (s) => s % 5, 'scn-1'),
    ];
    const result = await writeDataset(dir, boxInfo(3, 'discrete'), records);
    expect(result).toEqual({ rows: 8, episodes: 2, location: dir });
    expect(existsSync(join(dir, 'data/chunk-000/file-000.parquet'))).toBe(true);
    expect(existsSync(join(dir, 'meta/episodes/chunk-000/file-000.parquet'))).toBe(true);
    const info = JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8')) as DatasetInfo;
    expect(info.codebase_version).toBe('v3.0');
    expect(info.total_frames).toBe(8);
    expect(info.total_episodes).toBe(2);
    expect(info.features['observation.state']).toEqual({ dtype: 'float32', shape: [3], names: null });
    expect(info.features.action).toEqual({ dtype: 'int64', shape: [1], names: null });
    expect(info.trajectory.alignment).toBe('SAR');
    expect(info.trajectory.agents).toEqual(['agent_0']);
    expect(info.trajectory.action_space).toEqual({ type: 'Discrete', n: 5, start: 0 });

    const reader = await DatasetReader.open(dir);
    const eps = reader.episodes;
    expect(eps.numRows).toBe(2);
    expect(Number(eps.getChild('length')?.get(0))).toBe(5);
    expect(eps.getChild('reward_sum')?.get(0)).toBeCloseTo(-0.25 + 0.75 + 1.75 - 0.25, 5);
    expect(eps.getChild('scenario_id')?.get(1)).toBe('scn-1');
    const ep1 = reader.episode(1, 'agent_0');
    expect(ep1.numRows).toBe(3);
    expect([...(ep1.getChild('is_last') ?? [])]).toEqual([false, false, true]);
    expect(Number(ep1.getChild('index')?.get(0))).toBe(5);
  });

  it('writes meta/stats.json: observation over all rows, action and reward over rows with an action', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const records = [...trajectory(0, 'a', 3, 2, (s) => [s, -s]), ...trajectory(1, 'a', 5, 2, (s) => [2 * s, 1])];
    await writeDataset(dir, boxInfo(2, 2, ['a']), records);
    const stats = (await DatasetReader.open(dir)).stats();
    const obs0 = records.map((r) => (r.observation as Float32Array)[0] as number);
    const mean = obs0.reduce((a, b) => a + b, 0) / obs0.length;
    const std = Math.sqrt(obs0.reduce((a, b) => a + (b - mean) ** 2, 0) / obs0.length);
    expect(stats['observation.state']?.count).toEqual([records.length]);
    expect(stats['observation.state']?.mean[0]).toBeCloseTo(mean, 6);
    expect(stats['observation.state']?.std[0]).toBeCloseTo(std, 6);
    expect(stats['observation.state']?.max[1]).toBeCloseTo(
      Math.max(...records.map((r) => (r.observation as Float32Array)[1] as number)),
      6,
    );
    const acted = records.filter((r) => !r.isLast);
    expect(stats.action?.count).toEqual([acted.length]);
    expect(stats.action?.min).toEqual([0, -2]);
    expect(stats.action?.max).toEqual([8, 1]);
    const rewardMean = acted.reduce((a, r) => a + r.reward, 0) / acted.length;
    expect(stats['next.reward']?.mean[0]).toBeCloseTo(rewardMean, 6);
  });

  it('rejects a wrong observation width naming the field, and NaN as NUMERIC_INVALID', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const sink = new ParquetDatasetSink({ dir: join(t.dir, 'ds') });
    await sink.open(boxInfo(3, 2));
    const [good] = trajectory(0, 'agent_0', 1, 3, () => [0.1, 0.2]);
    if (!good) throw new Error('no record');
    expectCode(
      () => sink.write({ ...good, observation: new Float32Array(4) }),
      'DATASET_SCHEMA_MISMATCH',
      'observation.state',
    );
    expectCode(() => sink.write({ ...good, action: 3 }), 'DATASET_SCHEMA_MISMATCH', 'action');
    expectCode(() => sink.write({ ...good, action: [1, 2, 3] }), 'DATASET_SCHEMA_MISMATCH', 'action');
    expectCode(() => sink.write({ ...good, observation: [0, Number.NaN, 0] }), 'NUMERIC_INVALID', 'observation.state');
    expectCode(() => sink.write({ ...good, reward: Number.NaN }), 'NUMERIC_INVALID', 'next.reward');
    expect(sink.rows).toBe(0);
    sink.write(good);
    expect(sink.rows).toBe(1);
  });

  it('rejects a non-integer or out-of-range discrete action', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const sink = new ParquetDatasetSink({ dir: join(t.dir, 'ds') });
    await sink.open(boxInfo(2, 'discrete', ['a'], 4));
    const [good] = trajectory(0, 'a', 1, 2, () => 1);
    if (!good) throw new Error('no record');
    expectCode(() => sink.write({ ...good, action: 4 }), 'DATASET_SCHEMA_MISMATCH', 'action');
    expectCode(() => sink.write({ ...good, action: 1.5 }), 'DATASET_SCHEMA_MISMATCH', 'action');
    expectCode(() => sink.write({ ...good, action: [1] }), 'DATASET_SCHEMA_MISMATCH', 'action');
  });

  it('refuses an existing dataset directory and writes after close', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    await writeDataset(
      dir,
      boxInfo(2, 'discrete'),
      trajectory(0, 'agent_0', 2, 2, () => 0),
    );
    await expect(new ParquetDatasetSink({ dir }).open(boxInfo(2, 'discrete'))).rejects.toMatchObject({
      code: 'DATASET_EXISTS',
    });
    const sink = new ParquetDatasetSink({ dir: join(t.dir, 'other') });
    expectCode(() => sink.write(trajectory(0, 'agent_0', 1, 2, () => 0)[0] as never), 'DATASET_CLOSED');
    await sink.open(boxInfo(2, 'discrete'));
    await sink.close();
    expectCode(() => sink.write(trajectory(0, 'agent_0', 1, 2, () => 0)[0] as never), 'DATASET_CLOSED');
    await expect(sink.close()).rejects.toMatchObject({ code: 'DATASET_CLOSED' });
  });

  it('abort keeps only complete trajectories, with metadata that matches the files', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const sink = new ParquetDatasetSink({ dir });
    await sink.open(boxInfo(2, 2, ['a', 'b']));
    const a = trajectory(0, 'a', 3, 2, () => [0.5, -0.5]);
    const b = trajectory(0, 'b', 3, 2, () => [0.25, 0.75]).slice(0, 3); // b never reaches its last row
    for (let i = 0; i < 4; i++) {
      if (a[i]) sink.write(a[i] as never);
      if (b[i]) sink.write(b[i] as never);
    }
    const result = await sink.abort(new Error('killed'));
    expect(result.rows).toBe(4);
    const reader = await DatasetReader.open(dir);
    expect(reader.info.trajectory.complete).toBe(false);
    expect(reader.table().numRows).toBe(4);
    expect([...(reader.table().getChild('agent_id') ?? [])]).toEqual(['a', 'a', 'a', 'a']);
    expect([...(reader.table().getChild('index') ?? [])].map(Number)).toEqual([0, 1, 2, 3]);
  });

  it('makes interleaved multi-agent trajectories contiguous, frames in order', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'ds');
    const a = trajectory(0, 'a', 2, 1, () => 1);
    const b = trajectory(0, 'b', 2, 1, () => 2);
    const interleaved = a.flatMap((r, i) => [r, b[i] as never]);
    await writeDataset(dir, boxInfo(1, 'discrete', ['a', 'b']), interleaved);
    const reader = await DatasetReader.open(dir);
    const tbl = reader.table();
    expect([...(tbl.getChild('agent_id') ?? [])]).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    expect([...(tbl.getChild('frame_index') ?? [])].map(Number)).toEqual([0, 1, 2, 0, 1, 2]);
    expect([...(tbl.getChild('agent_index') ?? [])].map(Number)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(reader.episode(0).numRows).toBe(6);
    expect([...(reader.select({ agents: ['b'] }).getChild('agent_id') ?? [])]).toEqual(['b', 'b', 'b']);
    expect(reader.select({ scenarios: ['nope'] }).numRows).toBe(0);
    expect(reader.select({}).numRows).toBe(6);
    expect(() => reader.episode(3)).toThrow(/no trajectory/);
  });
});
