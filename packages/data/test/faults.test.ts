import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  columnSpace,
  DATA_FILE,
  type DatasetInfo,
  DatasetReader,
  INFO_FILE,
  TrajectoryBatchBuilder,
  trajectorySchema,
  writeParquetFile,
} from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

async function sampleDataset(root: string): Promise<string> {
  const dir = join(root, 'ds');
  const records = [0, 1, 2].flatMap((e) => trajectory(e, 'agent_0', 40, 4, (t) => t % 5));
  await writeDataset(dir, boxInfo(4, 'discrete'), records);
  return dir;
}

describe('fault detection', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('a data file cut in half is DATASET_TRUNCATED_FILE', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = await sampleDataset(t.dir);
    const file = join(dir, DATA_FILE);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_TRUNCATED_FILE' });
  });

  it('a data file whose footer was removed is DATASET_MISSING_FOOTER', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = await sampleDataset(t.dir);
    const file = join(dir, DATA_FILE);
    const bytes = readFileSync(file);
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    writeFileSync(file, bytes.subarray(0, bytes.length - 8 - footerLength));
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_MISSING_FOOTER' });
  });

  it('a file without trailing magic and no recorded size is DATASET_MISSING_FOOTER', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = await sampleDataset(t.dir);
    const file = join(dir, DATA_FILE);
    const bytes = Buffer.from(readFileSync(file));
    bytes.write('XXXX', bytes.length - 4, 'latin1');
    writeFileSync(file, bytes);
    const info = JSON.parse(readFileSync(join(dir, INFO_FILE), 'utf8')) as DatasetInfo;
    for (const f of info.trajectory.files.data) {
      delete (f as { bytes?: number }).bytes;
      delete (f as { footerOffset?: number }).footerOffset;
    }
    writeFileSync(join(dir, INFO_FILE), JSON.stringify(info));
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_MISSING_FOOTER' });
  });

  it('metadata that disagrees with the files is DATASET_METADATA_MISMATCH', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = await sampleDataset(t.dir);
    const original = readFileSync(join(dir, INFO_FILE), 'utf8');
    const edit = (f: (i: DatasetInfo) => void) => {
      const info = JSON.parse(original) as DatasetInfo;
      f(info);
      writeFileSync(join(dir, INFO_FILE), JSON.stringify(info));
    };
    edit((i) => {
      i.total_frames += 1;
    });
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_METADATA_MISMATCH' });
    edit((i) => {
      i.total_episodes = 5;
    });
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_METADATA_MISMATCH' });
    edit((i) => {
      i.trajectory.total_trajectories = 2;
    });
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_METADATA_MISMATCH' });
    edit((i) => {
      (i.trajectory.files.data[0] as { rows: number }).rows = 1;
    });
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_METADATA_MISMATCH' });
    edit(() => {});
    await expect(DatasetReader.open(dir)).resolves.toBeInstanceOf(DatasetReader);
    rmSync(join(dir, DATA_FILE));
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_METADATA_MISMATCH' });
  });

  it('spaces in info.json that disagree with the data schema are DATASET_SCHEMA_MISMATCH', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = await sampleDataset(t.dir);
    const info = JSON.parse(readFileSync(join(dir, INFO_FILE), 'utf8')) as DatasetInfo;
    info.trajectory.observation_space = { type: 'Box', shape: [5], low: 0, high: 1, dtype: 'float32' };
    writeFileSync(join(dir, INFO_FILE), JSON.stringify(info));
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_SCHEMA_MISMATCH' });
  });

  it('a directory without info.json is DATASET_NOT_FOUND; invalid JSON is DATASET_CORRUPT', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    await expect(DatasetReader.open(join(t.dir, 'nope'))).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    const dir = await sampleDataset(t.dir);
    writeFileSync(join(dir, INFO_FILE), '{"codebase_version": "v3.0",');
    await expect(DatasetReader.open(dir)).rejects.toMatchObject({ code: 'DATASET_CORRUPT' });
  });

  it('a batch of the wrong schema is rejected before anything is written', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const expected = trajectorySchema(
      columnSpace({ type: 'Box', shape: [3] }, 'o'),
      columnSpace({ type: 'Discrete', n: 2 }, 'a'),
    );
    const wrong = new TrajectoryBatchBuilder(
      columnSpace({ type: 'Box', shape: [4] }, 'o'),
      columnSpace({ type: 'Discrete', n: 2 }, 'a'),
    );
    for (const r of trajectory(0, 'a', 2, 4, () => 1)) wrong.append(r);
    await expect(writeParquetFile(t.dir, 'x.parquet', expected, [wrong.build()])).rejects.toMatchObject({
      code: 'DATASET_SCHEMA_MISMATCH',
    });
    expect(() => readFileSync(join(t.dir, 'x.parquet'))).toThrow();
  });
});
