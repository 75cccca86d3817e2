import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTwinforgeError, type StepRecord } from '@twinforge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetReader, ParquetDatasetSink } from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

const AGENTS = ['agent_0', 'agent_1', 'agent_2'];

/**
 * Three agents stepping in lockstep, interleaved row by row, each episode with its own length per agent (agent_2
 * joins two steps late), so trajectories complete out of their order of first appearance.
 */
function interleaved(episodes: number): StepRecord[] {
  const out: { r: StepRecord; key: number }[] = [];
  for (let e = 0; e < episodes; e++) {
    AGENTS.forEach((agent, a) => {
      const steps = 5 + ((e * 7 + a * 3) % 11);
      const join = a === 2 ? 2 : 0;
      for (const r of trajectory(e, agent, steps, 3, (t) => [t / 10, -e, a], `scn-${e % 2}`)) {
        out.push({ r, key: e * 1000 + (join + r.frameIndex) * 10 + a });
      }
    });
  }
  return out.sort((x, y) => x.key - y.key).map((x) => x.r);
}

const rows = (dir: string) => {
  const reader = DatasetReader.open(dir);
  return reader.then((r) =>
    r
      .table()
      .toArray()
      .map((row) => JSON.stringify(row.toJSON(), (_k, v) => (typeof v === 'bigint' ? String(v) : v))),
  );
};
const meta = (dir: string, file: string) => readFileSync(join(dir, 'meta', file));

describe('encoding during the run (streamFileRows)', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('writes files of complete trajectories before close, holding the rows a close-time write gives', async () => {
    const records = interleaved(12);
    const streamed = join(t.dir, 'streamed');
    const sink = new ParquetDatasetSink({ dir: streamed, streamFileRows: 40, encoderThreads: 2 });
    await sink.open(boxInfo(3, 3, AGENTS));
    for (const r of records) sink.write(r);
    // The first file is encoded on a worker and renamed into place while the sink is still open.
    const first = join(streamed, 'data/chunk-000/file-000.parquet');
    for (let waited = 0; !existsSync(first) && waited < 30_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(first)).toBe(true);
    expect(existsSync(join(streamed, 'meta/info.json'))).toBe(false);
    await sink.close();

    const plain = join(t.dir, 'plain');
    await writeDataset(plain, boxInfo(3, 3, AGENTS), records, { streamFileRows: 0, encoderThreads: 0 });
    expect(await rows(streamed)).toEqual(await rows(plain));
    expect(meta(streamed, 'stats.json')).toEqual(meta(plain, 'stats.json'));
    const reader = await DatasetReader.open(streamed);
    const files = reader.info.trajectory.files.data;
    expect(files.length).toBe(Math.ceil(records.length / 40));
    expect(files.slice(0, -1).every((f) => f.rows === 40)).toBe(true);
    expect((await DatasetReader.open(plain)).episodes.toArray().map(String)).toEqual(
      reader.episodes.toArray().map(String),
    );
  });

  it('an abort keeps the streamed files and every complete trajectory, as without streaming', async () => {
    const records = interleaved(8);
    // agent_1 of the last episode never reaches its last row.
    const lastEpisode = 7;
    const cut = records.filter((r) => !(r.episodeIndex === lastEpisode && r.agentId === 'agent_1' && r.isLast));
    const write = async (dir: string, options: { streamFileRows: number; encoderThreads: number }) => {
      const sink = new ParquetDatasetSink({ dir, ...options });
      await sink.open(boxInfo(3, 3, AGENTS));
      for (const r of cut) sink.write(r);
      return sink.abort(new Error('stopped'));
    };
    const [a, b] = [join(t.dir, 'abort-streamed'), join(t.dir, 'abort-plain')];
    const result = await write(a, { streamFileRows: 25, encoderThreads: 2 });
    await write(b, { streamFileRows: 0, encoderThreads: 0 });
    const kept = records.filter((r) => !(r.episodeIndex === lastEpisode && r.agentId === 'agent_1')).length;
    expect(result.rows).toBe(kept);
    expect(await rows(a)).toEqual(await rows(b));
    expect((await DatasetReader.open(a)).info.trajectory.files.data.length).toBeGreaterThan(1);
  });

  it('rejects a row after its trajectory has ended, and keeps writing the others', async () => {
    const dir = join(t.dir, 'after-last');
    const sink = new ParquetDatasetSink({ dir, encoderThreads: 0 });
    await sink.open(boxInfo(3, 3));
    const traj = trajectory(0, 'agent_0', 3, 3, () => [0, 0, 0]);
    for (const r of traj) sink.write(r);
    let error: unknown;
    try {
      sink.write({ ...(traj[1] as StepRecord), frameIndex: 4 });
    } catch (e) {
      error = e;
    }
    expect(isTwinforgeError(error, 'DATASET_SCHEMA_MISMATCH')).toBe(true);
    expect(String(error)).toContain('is_last');
    for (const r of trajectory(1, 'agent_0', 2, 3, () => [1, 1, 1])) sink.write(r);
    expect((await sink.close()).rows).toBe(traj.length + 3);
  });
});
