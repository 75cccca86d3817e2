import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { StepRecord } from '@twinforge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetReader, ParquetDatasetSink } from '../src/index.js';
import { boxInfo, tempDir, trajectory } from './helpers.js';

async function query(sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const info = boxInfo(2, 'discrete', ['a', 'b']);
const episode = (e: number, scenario: string): StepRecord[] => [
  ...trajectory(e, 'a', 3 + e, 2, (s) => s % 5, scenario),
  ...trajectory(e, 'b', 2, 2, (s) => (s + 1) % 5, scenario),
];

describe('ParquetDatasetSink resume', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('continues an aborted dataset: every complete trajectory exactly once, in order, numbered after the old rows', async () => {
    const dir = join(t.dir, 'ds');
    // First run: episodes 0 and 1 complete, episode 2 cut off mid-trajectory, then aborted.
    const first = new ParquetDatasetSink({ dir, encoderThreads: 0 });
    await first.open(info);
    for (const r of [...episode(0, 'old'), ...episode(1, 'old'), ...episode(2, 'old').slice(0, 3)]) first.write(r);
    const aborted = await first.abort(new Error('interrupted'));
    const oldRows = episode(0, 'old').length + episode(1, 'old').length;
    expect(aborted.rows).toBe(oldRows);

    // The resumed run counts its episodes from 0 again; the sink renumbers them after the old ones.
    const second = new ParquetDatasetSink({ dir, encoderThreads: 0, resume: true, rowGroupSize: 4 });
    await second.open({ ...info, seed: 99 });
    const fresh = [...episode(0, 'new'), ...episode(1, 'new')];
    for (const r of fresh) second.write(r);
    const closed = await second.close();
    expect(closed).toMatchObject({ rows: oldRows + fresh.length, episodes: 4 });

    const reader = await DatasetReader.open(dir);
    expect(reader.info.trajectory.files.data.map((f) => f.path)).toEqual([
      'data/chunk-000/file-000.parquet',
      'data/chunk-000/file-001.parquet',
    ]);
    expect(reader.info.total_frames).toBe(oldRows + fresh.length);
    expect(reader.info.total_episodes).toBe(4);
    expect(reader.info.trajectory.total_trajectories).toBe(8);
    const table = reader.table();
    expect([...(table.getChild('index') ?? [])].map(Number)).toEqual([...Array(table.numRows).keys()]);
    const eps = reader.episodes;
    const keys = [...Array(eps.numRows).keys()].map(
      (i) =>
        `${eps.getChild('trajectory_index')?.get(i)}:${eps.getChild('episode_index')?.get(i)}/${eps.getChild('agent_id')?.get(i)}@${eps.getChild('scenario_id')?.get(i)}`,
    );
    expect(keys).toEqual([
      '0:0/a@old',
      '1:0/b@old',
      '2:1/a@old',
      '3:1/b@old',
      '4:2/a@new',
      '5:2/b@new',
      '6:3/a@new',
      '7:3/b@new',
    ]);
    expect([...(eps.getChild('seed') ?? [])].map(Number)).toEqual([7, 7, 7, 7, 99, 99, 99, 99]);
    // Resumed rows are where meta/episodes says, with the renumbered episode in both episode columns.
    const third = reader.episode(3, 'a');
    expect(third.numRows).toBe(5);
    expect([...(third.getChild('frame_index') ?? [])].map(Number)).toEqual([0, 1, 2, 3, 4]);
    expect([...(third.getChild('env_episode_index') ?? [])].map(Number)).toEqual([3, 3, 3, 3, 3]);
    // stats.json covers old and new rows.
    expect(reader.stats()['observation.state']?.count).toEqual([oldRows + fresh.length]);

    const glob = `read_parquet('${dir}/data/*/*.parquet')`;
    const rows = await query(
      `SELECT episode_index, agent_id, count(*), min("index"), max("index") FROM ${glob} GROUP BY ALL ORDER BY min("index")`,
    );
    expect(rows.map((r) => `${r[0]}/${r[1]}`)).toEqual(['0/a', '0/b', '1/a', '1/b', '2/a', '2/b', '3/a', '3/b']);
    const [[n, distinct]] = (await query(`SELECT count(*), count(DISTINCT "index") FROM ${glob}`)) as [
      [bigint, bigint],
    ];
    expect(Number(n)).toBe(oldRows + fresh.length);
    expect(Number(distinct)).toBe(Number(n));
  });

  it('stats.json after resume equals the stats of writing everything at once', async () => {
    const once = join(t.dir, 'once');
    const twice = join(t.dir, 'twice');
    const all = [...episode(0, 's'), ...episode(1, 's'), ...episode(2, 's')];
    const whole = new ParquetDatasetSink({ dir: once, encoderThreads: 0 });
    await whole.open(info);
    for (const r of all) whole.write(r);
    await whole.close();
    const a = new ParquetDatasetSink({ dir: twice, encoderThreads: 0 });
    await a.open(info);
    for (const r of episode(0, 's')) a.write(r);
    await a.close();
    const b = new ParquetDatasetSink({ dir: twice, encoderThreads: 0, resume: true });
    await b.open(info);
    // The resumed run counts from 0; its episodes 0 and 1 become 1 and 2, so they must hold episodes 1 and 2's rows.
    for (const r of [...episode(1, 's'), ...episode(2, 's')]) b.write({ ...r, episodeIndex: r.episodeIndex - 1 });
    await b.close();
    const [s1, s2] = [(await DatasetReader.open(once)).stats(), (await DatasetReader.open(twice)).stats()];
    for (const key of Object.keys(s1)) {
      const x = s1[key];
      const y = s2[key];
      expect(y?.count).toEqual(x?.count);
      for (const f of ['min', 'max', 'mean', 'std'] as const) {
        (x?.[f] ?? []).forEach((v, j) => {
          expect(y?.[f][j]).toBeCloseTo(v, 9);
        });
      }
    }
  });

  it('after a crash before meta/info.json, keeps the data files that check out and end a trajectory', async () => {
    const dir = join(t.dir, 'crashed');
    // Trajectories of 6, 6, 7, 7, 5, 5 rows in three files of 12: file-000 ends a trajectory, file-001 ends inside
    // one, file-002 is torn. Only file-000 can be kept whole.
    const lengths = [6, 6, 7, 7, 5, 5];
    const s = new ParquetDatasetSink({ dir, encoderThreads: 0, maxRowsPerFile: 12 });
    await s.open(info);
    lengths.forEach((l, e) => {
      for (const r of trajectory(e, 'a', l - 1, 2, (k) => k % 5)) s.write(r);
    });
    await s.close();
    rmSync(join(dir, 'meta'), { recursive: true });
    const torn = join(dir, 'data', 'chunk-000', 'file-002.parquet');
    writeFileSync(torn, readFileSync(torn).subarray(0, 40));

    const resumed = new ParquetDatasetSink({ dir, encoderThreads: 0, resume: true });
    await resumed.open(info);
    const fresh = [...trajectory(0, 'b', 3, 2, (k) => k % 5), ...trajectory(1, 'a', 2, 2, (k) => k % 5)];
    for (const r of fresh) resumed.write(r);
    expect((await resumed.close()).rows).toBe(12 + fresh.length);

    expect(existsSync(join(dir, 'data', 'chunk-000', 'file-001.parquet.orphaned'))).toBe(true);
    expect(existsSync(join(dir, 'data', 'chunk-000', 'file-002.parquet.orphaned'))).toBe(true);
    const reader = await DatasetReader.open(dir);
    expect(reader.info.trajectory.files.data.map((f) => f.path)).toEqual([
      'data/chunk-000/file-000.parquet',
      'data/chunk-000/file-001.parquet',
    ]);
    const eps = reader.episodes;
    const keys = [...Array(eps.numRows).keys()].map(
      (i) =>
        `${eps.getChild('episode_index')?.get(i)}/${eps.getChild('agent_id')?.get(i)}:${eps.getChild('length')?.get(i)}`,
    );
    expect(keys).toEqual(['0/a:6', '1/a:6', '2/b:4', '3/a:3']);
    expect(reader.stats()['observation.state']?.count).toEqual([12 + fresh.length]);
    const rows = await query(
      `SELECT episode_index, agent_id, count(*), min("index") FROM read_parquet('${dir}/data/*/*.parquet') GROUP BY ALL ORDER BY min("index")`,
    );
    expect(rows.map((r) => `${r[0]}/${r[1]}:${r[2]}`)).toEqual(['0/a:6', '1/a:6', '2/b:4', '3/a:3']);
  });

  it('refuses other spaces; resume on a new directory starts a dataset', async () => {
    const dir = join(t.dir, 'other');
    const s = new ParquetDatasetSink({ dir, encoderThreads: 0 });
    await s.open(info);
    for (const r of episode(0, 's')) s.write(r);
    await s.close();
    const wrong = new ParquetDatasetSink({ dir, resume: true });
    await expect(wrong.open(boxInfo(3, 'discrete', ['a', 'b']))).rejects.toMatchObject({
      code: 'DATASET_SCHEMA_MISMATCH',
    });
    // resume on a directory that does not exist yet starts a new dataset.
    const fresh = new ParquetDatasetSink({ dir: join(t.dir, 'fresh'), resume: true, encoderThreads: 0 });
    await fresh.open(info);
    for (const r of episode(0, 's')) fresh.write(r);
    expect((await fresh.close()).rows).toBe(episode(0, 's').length);
  });
});
