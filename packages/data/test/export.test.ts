import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetReader, exportJsonl, toD4rl } from '../src/index.js';
import { boxInfo, tempDir, trajectory, writeDataset } from './helpers.js';

describe('export', () => {
  it('toD4rl pairs each step with the next observation of its own trajectory', async () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'ds');
      const a = trajectory(0, 'a', 3, 2, (s) => [s, 1]);
      const b = trajectory(0, 'b', 2, 2, (s) => [-s, 0]);
      await writeDataset(dir, boxInfo(2, 2, ['a', 'b']), [...a, ...b]);
      const d = toD4rl(await DatasetReader.open(dir));
      expect(d.steps).toBe(5);
      expect(d.agentIds).toEqual(['a', 'a', 'a', 'b', 'b']);
      // step 2 of a: s = obs of frame 2, s' = obs of frame 3 (a's final row), timeout on its last step
      expect([...d.observations.subarray(4, 6)]).toEqual(Array.from(a[2]?.observation as Float32Array));
      expect([...d.nextObservations.subarray(4, 6)]).toEqual(Array.from(a[3]?.observation as Float32Array));
      expect([...d.timeouts]).toEqual([0, 0, 1, 0, 1]);
      expect([...d.actions.subarray(6, 8)]).toEqual([-0, 0]);
      expect(d.rewards[1]).toBe(Math.fround(a[1]?.reward as number));
    } finally {
      t.cleanup();
    }
  });

  it('exportJsonl writes one parseable object per row', async () => {
    const t = tempDir();
    try {
      const dir = join(t.dir, 'ds');
      const records = trajectory(0, 'a', 2, 3, (s) => s % 2);
      await writeDataset(dir, boxInfo(3, 'discrete', ['a'], 2), records);
      const path = join(t.dir, 'rows.jsonl');
      expect(exportJsonl(await DatasetReader.open(dir), path)).toBe(3);
      const rows = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toHaveLength(3);
      expect(rows[1]).toMatchObject({ frame_index: 1, agent_id: 'a', action: 1, is_last: false });
      expect(rows[2]?.['observation.state']).toEqual(Array.from(records[2]?.observation as Float32Array));
    } finally {
      t.cleanup();
    }
  });
});
