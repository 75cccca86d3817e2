import { join } from 'node:path';
import type { StepRecord } from '@twinforge/core';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetReader } from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

function rowsOf(batches: readonly RecordBatch[]): unknown[] {
  return batches.flatMap((b) =>
    [...b].map((row) => JSON.stringify(row?.toJSON(), (_, v) => (typeof v === 'bigint' ? Number(v) : v))),
  );
}

async function collect(iterable: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of iterable) out.push(b);
  return out;
}

describe('DatasetReader.batches', () => {
  const t = tempDir();
  const dir = join(t.dir, 'ds');
  let reader: DatasetReader;
  beforeAll(async () => {
    // Six episodes of 9 rows for two agents (108 rows) in row groups of 8 rows, split over two files of 64 rows.
    const records: StepRecord[] = [];
    for (let e = 0; e < 6; e++) {
      records.push(...trajectory(e, 'a', 8, 3, (s) => [s / 10], `scn-${e % 2}`));
      records.push(...trajectory(e, 'b', 8, 3, (s) => [-s / 10], `scn-${e % 2}`));
    }
    await writeDataset(dir, boxInfo(3, 1, ['a', 'b']), records, {
      rowGroupSize: 8,
      maxRowsPerFile: 64,
      encoderThreads: 0,
    });
    reader = await DatasetReader.open(dir);
  });
  afterAll(() => t.cleanup());

  it('selecting one trajectory decodes only the row groups that hold it and returns what select() returns', async () => {
    const eps = reader.episodes;
    const i = [...Array(eps.numRows).keys()].find(
      (k) => Number(eps.getChild('episode_index')?.get(k)) === 4 && eps.getChild('agent_id')?.get(k) === 'b',
    ) as number;
    const from = Number(eps.getChild('dataset_from_index')?.get(i));
    const to = Number(eps.getChild('dataset_to_index')?.get(i));
    // Row groups are 8 rows inside each 64-row file; count the groups [from, to) touches.
    const groupsOf = (row: number) => (row < 64 ? Math.floor(row / 8) : 8 + Math.floor((row - 64) / 8));
    const expectedGroups = groupsOf(to - 1) - groupsOf(from) + 1;
    const totalGroups = 8 + Math.ceil((108 - 64) / 8);

    const it = reader.batches({ episodes: [4], agents: ['b'] });
    const batches = await collect(it);
    expect(it.rowGroupsRead).toBe(expectedGroups);
    // Groups of the second file are counted as skipped only when its file is opened; files with no selected row
    // are not opened at all.
    expect(it.rowGroupsRead).toBeLessThan(totalGroups);
    expect(rowsOf(batches)).toEqual(rowsOf(reader.select({ episodes: [4], agents: ['b'] }).batches));
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(to - from);
  });

  it('a multi-trajectory selection across files equals select(), with batches no longer than batchRows', async () => {
    const filter = { scenarios: ['scn-1'], agents: ['a'] };
    const it = reader.batches({ ...filter, batchRows: 3 });
    const batches = await collect(it);
    for (const b of batches) expect(b.numRows).toBeLessThanOrEqual(3);
    expect(rowsOf(batches)).toEqual(rowsOf(reader.select(filter).batches));
    expect(it.rowGroupsSkipped).toBeGreaterThan(0);
  });

  it('columns projects the decoded batches onto the named columns and rejects unknown ones', async () => {
    const columns = ['episode_index', 'observation.state'];
    const batches = await collect(reader.batches({ episodes: [2], columns }));
    for (const b of batches) expect(b.schema.fields.map((f) => f.name)).toEqual(columns);
    const want = reader.select({ episodes: [2] }).select(columns);
    expect(rowsOf(batches)).toEqual(rowsOf(want.batches));
    expect(() => reader.batches({ columns: ['nope'] })).toThrow(
      expect.objectContaining({ code: 'DATASET_SCHEMA_MISMATCH' }),
    );
  });

  it('no filter reads every row group and every row once, in order', async () => {
    const it = reader.batches();
    const batches = await collect(it);
    expect(it.rowGroupsSkipped).toBe(0);
    expect(it.rowGroupsRead).toBe(8 + Math.ceil((108 - 64) / 8));
    const index = batches.flatMap((b) => [...(b.getChild('index') ?? [])].map(Number));
    expect(index).toEqual([...Array(108).keys()]);
  });
});
