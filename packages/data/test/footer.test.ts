import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_FILE, EPISODES_FILE, FORMAT_VERSION_KEY, locateFooter, readFooterMetadata } from '../src/index.js';
import { parquetWasm } from '../src/parquet-wasm.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

describe('Parquet footer decoding', () => {
  it('agrees with parquet-wasm on the row count and key-value metadata', async () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'ds');
      // 40 trajectories of 300 steps: a row count whose varint needs several bytes.
      const records = Array.from({ length: 40 }, (_, e) => trajectory(e, 'a', 300, 3, () => [0.5])).flat();
      await writeDataset(dir, boxInfo(3, 1), records);
      for (const file of [DATA_FILE, EPISODES_FILE]) {
        const bytes = readFileSync(join(dir, file));
        const ours = readFooterMetadata(bytes, locateFooter(bytes, file), file);
        const pf = await parquetWasm.ParquetFile.fromFile(new Blob([bytes]));
        const meta = pf.metadata().fileMetadata();
        expect(ours.rows).toBe(meta.numRows());
        expect(ours.metadata).toEqual(meta.keyValueMetadata());
        expect(ours.metadata.get(FORMAT_VERSION_KEY)).toBe('1.0');
        pf.free();
      }
      const bytes = readFileSync(join(dir, DATA_FILE));
      expect(readFooterMetadata(bytes, locateFooter(bytes, DATA_FILE), DATA_FILE).rows).toBe(40 * 301);
    } finally {
      t.cleanup();
    }
  });

  it('a footer cut short is DATASET_CORRUPT, not an exception from deep inside a library', () => {
    const t = tempDir();
    try {
      const bytes = new Uint8Array([0x50, 0x41, 0x52, 0x31, 0x15, 0x02, 0x19, 0x00, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]);
      // footer of 3 bytes claims field 1 and a list, then ends
      new DataView(bytes.buffer).setUint32(7, 3, true);
      expect(() => readFooterMetadata(bytes, locateFooter(bytes, 'x'), 'x')).toThrow(
        expect.objectContaining({ code: 'DATASET_CORRUPT' }),
      );
    } finally {
      t.cleanup();
    }
  });
});
