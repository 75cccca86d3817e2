import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { StepRecord } from '@twinforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetReader } from '../src/index.js';
import { tempDir, trajectory, writeDataset } from './helpers.js';

async function query(sql: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const result = await conn.runAndReadAll(sql);
    return result.getRows() as unknown[][];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('DuckDB reads what twinforge writes', () => {
  const t = tempDir();
  const dir = join(t.dir, 'ds');
  let records: StepRecord[] = [];
  beforeAll(async () => {
    // Two agents, interleaved step by step, four episodes of different lengths, continuous actions.
    records = [];
    for (let e = 0; e < 4; e++) {
      const a = trajectory(e, 'agent_a', 5 + e, 6, (s) => [s / 10, -s / 10], `scn-${e % 2}`);
      const b = trajectory(e, 'agent_b', 3 + 2 * e, 6, (s) => [1 - s / 10, s / 20], `scn-${e % 2}`);
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i]) records.push(a[i] as StepRecord);
        if (b[i]) records.push(b[i] as StepRecord);
      }
    }
    // Several data files, encoded on worker threads: DuckDB's glob must see them as one table in order.
    await writeDataset(dir, boxInfo6(), records, { maxRowsPerFile: 16, encoderThreads: 2 });
  });
  afterAll(() => t.cleanup());

  const glob = () => `read_parquet('${dir}/data/*/*.parquet')`;

  it('row count and per-episode reward sums match the metadata', async () => {
    const reader = await DatasetReader.open(dir);
    expect(reader.info.trajectory.files.data.length).toBe(Math.ceil(records.length / 16));
    const [[count]] = (await query(`SELECT count(*) FROM ${glob()}`)) as [[bigint]];
    expect(Number(count)).toBe(records.length);
    expect(Number(count)).toBe(reader.info.total_frames);

    const rows = await query(
      `SELECT episode_index, agent_id, sum("next.reward")::DOUBLE, count(*) FROM ${glob()} GROUP BY ALL ORDER BY ALL`,
    );
    const eps = reader.episodes;
    const meta = new Map<string, { sum: number; length: number }>();
    for (let i = 0; i < eps.numRows; i++) {
      meta.set(`${eps.getChild('episode_index')?.get(i)}/${eps.getChild('agent_id')?.get(i)}`, {
        sum: eps.getChild('reward_sum')?.get(i) as number,
        length: Number(eps.getChild('length')?.get(i)),
      });
    }
    expect(rows.length).toBe(meta.size);
    for (const [episode, agent, sum, n] of rows) {
      const m = meta.get(`${episode}/${agent}`);
      expect(m).toBeDefined();
      expect(sum as number).toBeCloseTo(m?.sum as number, 4);
      expect(Number(n)).toBe(m?.length);
    }
    // The metadata sums agree with the records that were sent too.
    const sent = records
      .filter((r) => r.episodeIndex === 2 && r.agentId === 'agent_b')
      .reduce((s, r) => s + r.reward, 0);
    expect(meta.get('2/agent_b')?.sum).toBeCloseTo(sent, 5);
  });

  it('vector columns cast to FLOAT[n]', async () => {
    const rows = await query(
      `SELECT "observation.state"::FLOAT[6] AS o, array_length(o), action::FLOAT[2] FROM ${glob()} WHERE episode_index = 1 AND agent_id = 'agent_a' AND frame_index = 2`,
    );
    expect(rows.length).toBe(1);
    const [obs, len, act] = rows[0] as [{ items: number[] }, bigint, { items: number[] }];
    expect(Number(len)).toBe(6);
    const sent = records.find((r) => r.episodeIndex === 1 && r.agentId === 'agent_a' && r.frameIndex === 2);
    if (!sent) throw new Error('record not found');
    expect(obs.items).toEqual([...(sent.observation as Float32Array)]);
    expect(act.items).toEqual([...Float32Array.from(sent.action as number[])]);
  });

  it('a query by agent_id returns that agent trajectory in frame order', async () => {
    const rows = await query(`SELECT episode_index, frame_index, is_last FROM ${glob()} WHERE agent_id = 'agent_b'`);
    const want = records
      .filter((r) => r.agentId === 'agent_b')
      .sort((x, y) => x.episodeIndex - y.episodeIndex || x.frameIndex - y.frameIndex)
      .map((r) => [BigInt(r.episodeIndex), BigInt(r.frameIndex), r.isLast]);
    expect(rows).toEqual(want);
  });

  it('env_episode_index and env_step are int64 and equal episode_index and frame_index with one environment', async () => {
    const types = await query(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT env_episode_index, env_step FROM ${glob()})`,
    );
    expect(types).toEqual([
      ['env_episode_index', 'BIGINT'],
      ['env_step', 'BIGINT'],
    ]);
    const [[differ, total]] = (await query(
      `SELECT count(*) FILTER (WHERE env_episode_index <> episode_index OR env_step <> frame_index), count(*) FROM ${glob()}`,
    )) as [[bigint, bigint]];
    expect(Number(differ)).toBe(0);
    expect(Number(total)).toBe(records.length);
  });

  it('the footer carries the format version and the data is ZSTD-compressed', async () => {
    const kv = await query(
      `SELECT decode(key), decode(value) FROM parquet_kv_metadata('${dir}/data/chunk-000/file-000.parquet') WHERE decode(key) LIKE 'twinforge%'`,
    );
    expect(kv).toEqual([['twinforge.trajectory_format_version', '1.0']]);
    const codecs = await query(
      `SELECT DISTINCT compression FROM parquet_metadata('${dir}/data/chunk-000/file-000.parquet')`,
    );
    expect(codecs).toEqual([['ZSTD']]);
  });
});

describe('DuckDB reads MultiDiscrete actions as BIGINT[k]', () => {
  const t = tempDir();
  const dir = join(t.dir, 'md');
  // Three mesh nodes choosing [next hop, power level, channel]; the power level starts at -2 (negative int64s), the
  // channel entry at 2^32 (values that need the int64 high word).
  const nvec = [4, 3, 5];
  const start = [0, -2, 2 ** 32];
  const agents = ['node_0', 'node_1', 'node_2'];
  const records: StepRecord[] = [];
  const glob = () => `read_parquet('${dir}/data/*/*.parquet')`;
  beforeAll(async () => {
    for (let e = 0; e < 3; e++) {
      const trajs = agents.map((agent, k) =>
        trajectory(e, agent, 4 + k + e, 2, (s) =>
          nvec.map((n, j) => (start[j] as number) + ((s * (k + 1) + j + e) % n)),
        ),
      );
      // Interleaved step by step, as a parallel environment emits them.
      for (let i = 0; i < 10; i++) for (const tr of trajs) if (tr[i]) records.push(tr[i] as StepRecord);
    }
    const space = { type: 'MultiDiscrete', nvec, start };
    await writeDataset(
      dir,
      {
        runId: 'duck-md',
        seed: 5,
        environment: 'mesh-like',
        agents,
        observationSpace: { type: 'Box', shape: [2], low: -10, high: 10, dtype: 'float32' },
        actionSpace: Object.fromEntries(agents.map((a) => [a, space])),
      },
      records,
      { maxRowsPerFile: 20, encoderThreads: 2 },
    );
  });
  afterAll(() => t.cleanup());

  it('the action column is BIGINT[], casts to BIGINT[3] and holds every value sent, in trajectory order', async () => {
    const types = await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT action FROM ${glob()})`);
    expect(types).toEqual([['action', 'BIGINT[]']]);
    const rows = await query(
      `SELECT episode_index, agent_id, frame_index, action::BIGINT[3] AS a, array_length(a) FROM ${glob()} ORDER BY index`,
    );
    const want = [...records]
      .sort(
        (x, y) =>
          x.episodeIndex - y.episodeIndex ||
          agents.indexOf(x.agentId) - agents.indexOf(y.agentId) ||
          x.frameIndex - y.frameIndex,
      )
      .map((r) => [
        BigInt(r.episodeIndex),
        r.agentId,
        BigInt(r.frameIndex),
        r.action === null ? [0n, 0n, 0n] : (r.action as number[]).map(BigInt),
        3n,
      ]);
    expect(rows.map(([e, a, f, act, len]) => [e, a, f, (act as { items: bigint[] }).items, len])).toEqual(want);
  });

  it('per-entry SQL over the array (DuckDB lists are 1-based) agrees with the records and stats.json', async () => {
    const [[minPower, maxPower, channels, acted]] = (await query(
      `SELECT min(action[2]), max(action[2]), count(DISTINCT action[3]), count(*) FROM ${glob()} WHERE NOT is_last`,
    )) as [[bigint, bigint, bigint, bigint]];
    const sent = records.filter((r) => !r.isLast).map((r) => r.action as number[]);
    expect(Number(acted)).toBe(sent.length);
    expect(Number(minPower)).toBe(Math.min(...sent.map((a) => a[1] as number)));
    expect(Number(maxPower)).toBe(Math.max(...sent.map((a) => a[1] as number)));
    expect(Number(channels)).toBe(new Set(sent.map((a) => a[2])).size);
    const stats = (await DatasetReader.open(dir)).stats().action;
    expect(stats?.min[1]).toBe(Number(minPower));
    expect(stats?.max[2]).toBe(Math.max(...sent.map((a) => a[2] as number)));
  });
});

function boxInfo6() {
  return {
    runId: 'duck',
    seed: 3,
    environment: 'duck-env',
    agents: ['agent_a', 'agent_b'],
    observationSpace: { type: 'Box', shape: [6], low: -10, high: 10, dtype: 'float32' },
    actionSpace: { type: 'Box', shape: [2], low: -1, high: 1, dtype: 'float32' },
  };
}
