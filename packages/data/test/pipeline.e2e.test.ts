import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createHost } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { DatasetReader, inspectDataset, ParquetDatasetSink } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('pipeline → ParquetDatasetSink → DuckDB and DatasetReader', () => {
  it('a toy-channel run lands as a dataset both can read', async () => {
    const t = tempDir();
    const host = await createHost();
    try {
      const dir = join(t.dir, 'toy');
      const run = host
        .pipeline()
        .environment('toy-channel', { channels: 4, horizon: 20 })
        .dataset(new ParquetDatasetSink({ dir }))
        .run({ seed: 1, episodes: 3 });
      const result = await run.done;
      expect(result.status).toBe('completed');
      // 3 episodes x (20 steps + the final row), one agent.
      expect(result.dataset).toEqual({ rows: 63, episodes: 3, location: dir });

      const reader = await DatasetReader.open(dir);
      expect(reader.info.total_frames).toBe(63);
      expect(reader.info.trajectory.environment).toBe('toy-channel');
      expect(reader.info.trajectory.observation_space).toEqual({
        type: 'Box',
        shape: [4],
        low: 0,
        high: 1,
        dtype: 'float32',
      });
      expect(reader.info.features.action?.dtype).toBe('int64');
      const summary = inspectDataset(reader);
      expect(summary).toMatchObject({ frames: 63, episodes: 3, trajectories: 3, agents: ['agent_0'], complete: true });
      expect(summary.columns.find((c) => c.name === 'observation.state')?.type).toBe('FixedSizeList[4]<Float32>');
      expect(summary.stats['observation.state']?.min.every((v) => v >= 0)).toBe(true);
      expect(summary.stats['observation.state']?.max.every((v) => v <= 1)).toBe(true);
      expect(summary.stats['next.reward']?.count).toEqual([60]);
      const ep = reader.episode(2, 'agent_0');
      expect(ep.numRows).toBe(21);
      expect(ep.getChild('is_last')?.get(20)).toBe(true);
      expect(ep.getChild('next.truncated')?.get(19)).toBe(true);

      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      try {
        const rows = (
          await conn.runAndReadAll(
            `SELECT episode_index, count(*), sum("next.reward")::DOUBLE, max(array_length("observation.state"::FLOAT[4]))
             FROM read_parquet('${dir}/data/*/*.parquet') GROUP BY episode_index ORDER BY episode_index`,
          )
        ).getRows();
        expect(rows.map((r) => Number(r[1]))).toEqual([21, 21, 21]);
        expect(rows.map((r) => Number(r[3]))).toEqual([4, 4, 4]);
        // Per-episode reward sums equal the pipeline's returns.
        expect(rows.map((r) => r[2])).toEqual(result.returns);
      } finally {
        conn.closeSync();
        inst.closeSync();
      }
    } finally {
      await host.dispose();
      t.cleanup();
    }
  });
});
