import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink } from '@twinforge/core';
import { DatasetReader, ParquetDatasetSink } from '@twinforge/data';
import { describe, expect, it } from 'vitest';
import { runQuickstart } from '../pipeline.js';

describe('quickstart pipeline', () => {
  it('runs end to end and is reproducible from its seed', async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    const ra = await runQuickstart({ seed: 3, episodes: 5, sink: a });
    const rb = await runQuickstart({ seed: 3, episodes: 5, sink: b });
    expect(ra.status).toBe('completed');
    expect(ra.steps).toBe(500);
    expect(a.records).toHaveLength(505);
    expect(rb.returns).toEqual(ra.returns);
    expect(new Set(a.records.map((r) => r.scenarioId)).size).toBe(5);
  });

  it('writes a Parquet dataset that reads back with the per-episode returns it reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-quickstart-'));
    try {
      const result = await runQuickstart({
        seed: 4,
        episodes: 3,
        sink: new ParquetDatasetSink({ dir: join(dir, 'ds') }),
      });
      expect(result.dataset?.rows).toBe(303);
      const reader = await DatasetReader.open(join(dir, 'ds'));
      const table = reader.table();
      expect(table.numRows).toBe(303);
      const episode = table.getChild('episode_index')?.toArray() as BigInt64Array | Int32Array;
      const reward = table.getChild('next.reward')?.toArray() as Float32Array;
      const sums = [0, 0, 0];
      for (let i = 0; i < table.numRows; i++) sums[Number(episode[i])] += reward[i] as number;
      for (const [e, s] of sums.entries()) expect(s).toBeCloseTo(result.returns[e] as number, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
