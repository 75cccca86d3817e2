import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { StepRecord } from '@twinforge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetReader, estimateRowBytes } from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

describe('maxFileBytes', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('splits data files by estimated bytes as well as rows, and the files stay under the limit', async () => {
    const dir = join(t.dir, 'ds');
    const width = 32;
    const records: StepRecord[] = [];
    // Pseudo-random observations so ZSTD cannot shrink them much: the estimate must hold without compression.
    let seed = 1;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let e = 0; e < 40; e++) {
      for (const r of trajectory(e, 'agent_0', 49, width, (s) => [s / 100, -s / 100])) {
        records.push({ ...r, observation: Float32Array.from({ length: width }, noise) });
      }
    }
    const rowBytes = estimateRowBytes(width, { kind: 'box', width: 2, json: null }, ['agent_0'], ['scn-0']);
    expect(rowBytes).toBeGreaterThan(4 * width);
    const maxFileBytes = 64 * 1024;
    await writeDataset(dir, boxInfo(width, 2), records, { maxFileBytes, encoderThreads: 0 });
    const reader = await DatasetReader.open(dir);
    const files = reader.info.trajectory.files.data;
    expect(files.length).toBe(Math.ceil(records.length / Math.floor(maxFileBytes / rowBytes)));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(statSync(join(dir, f.path)).size).toBeLessThanOrEqual(maxFileBytes);
    expect(reader.table().numRows).toBe(records.length);
    expect(reader.info.data_files_size_in_mb).toBe(maxFileBytes / (1024 * 1024));
  });

  it('maxRowsPerFile still applies when it is the tighter limit', async () => {
    const dir = join(t.dir, 'rows');
    const records = [0, 1, 2].flatMap((e) => trajectory(e, 'agent_0', 9, 2, (s) => [s / 10]));
    await writeDataset(dir, boxInfo(2, 1), records, { maxRowsPerFile: 7, maxFileBytes: 1 << 30, encoderThreads: 0 });
    expect((await DatasetReader.open(dir)).info.trajectory.files.data.length).toBe(Math.ceil(records.length / 7));
  });
});
