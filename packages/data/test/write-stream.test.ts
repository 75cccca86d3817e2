import { join } from 'node:path';
import type { StepRecord } from '@twinforge/core';
import { concat, from, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DatasetReader, ParquetDatasetSink, writeStream } from '../src/index.js';
import { boxInfo, tempDir, trajectory } from './helpers.js';

describe('writeStream', () => {
  it('drains an Observable and an async iterable into equal datasets', async () => {
    const t = tempDir();
    try {
      const records = [...trajectory(0, 'a', 4, 2, (s) => s % 3), ...trajectory(1, 'a', 2, 2, () => 1)];
      const viaObservable = join(t.dir, 'obs');
      const r1 = await writeStream(
        new ParquetDatasetSink({ dir: viaObservable }),
        boxInfo(2, 'discrete', ['a'], 3),
        from(records),
      );
      async function* gen(): AsyncGenerator<StepRecord> {
        for (const r of records) yield r;
      }
      const viaIterable = join(t.dir, 'iter');
      const r2 = await writeStream(
        new ParquetDatasetSink({ dir: viaIterable }),
        boxInfo(2, 'discrete', ['a'], 3),
        gen(),
      );
      expect(r1.rows).toBe(records.length);
      expect(r2.rows).toBe(records.length);
      const a = (await DatasetReader.open(viaObservable)).table();
      const b = (await DatasetReader.open(viaIterable)).table();
      const rows = (table: typeof a) =>
        table.toArray().map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
      expect(rows(a)).toEqual(rows(b));
      expect(rows(a)).toHaveLength(records.length);
    } finally {
      t.cleanup();
    }
  });

  it('a failing source aborts the sink: complete trajectories are kept, the error is rethrown', async () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'ds');
      const complete = trajectory(0, 'a', 3, 2, () => 0);
      const partial = trajectory(1, 'a', 3, 2, () => 0).slice(0, 2);
      const source = concat(
        from([...complete, ...partial]),
        throwError(() => new Error('env crashed')),
      );
      await expect(writeStream(new ParquetDatasetSink({ dir }), boxInfo(2, 'discrete'), source)).rejects.toThrow(
        'env crashed',
      );
      const reader = await DatasetReader.open(dir);
      expect(reader.table().numRows).toBe(complete.length);
      expect(reader.info.trajectory.complete).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
