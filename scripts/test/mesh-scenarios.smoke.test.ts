import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readParquetFile } from '@twinforge/data';
import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('dataset:mesh-scenarios --smoke', () => {
  it('writes grids with their conditions, event timelines and scenarios that DuckDB reads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tf-mesh-ds-'));
    try {
      const res = runScript('datasets/mesh-scenarios.ts', ['--smoke', '--out', join(out, 'ds'), '--scenarios', '4']);
      expect(res.status, res.stderr).toBe(0);
      expect(res.summary).toMatch(
        /^dataset:mesh-scenarios 4 scenarios, 20 snapshots \(32x32 \+ 16x16 grids\), \d+ events/,
      );
      const root = join(out, 'ds');
      const info = JSON.parse(readFileSync(join(root, 'meta', 'info.json'), 'utf8'));
      expect(info.format).toBe('twinforge-mesh-scenarios');
      expect(info.conditions).toEqual(['jammer_count', 'load_level']);
      const { table } = await readParquetFile(root, 'data/snapshots.parquet');
      expect(table.numRows).toBe(20);
      for (const name of Object.keys(info.columns.snapshots)) expect(table.schema.names).toContain(name);
      const width = (name: string) => (table.getChild(name)?.get(0) as { length: number } | undefined)?.length;
      expect(width('link_quality_32')).toBe(1024);
      expect(width('jamming_dBm_16')).toBe(256);
      expect(width('link_matrix')).toBe(21 * 21);

      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      const rows = (
        await c.runAndReadAll(
          `SELECT count(*)::INT AS n, min(list_min(link_quality_32::FLOAT[1024]::FLOAT[])) AS lo,
                  max(list_max(link_quality_32::FLOAT[1024]::FLOAT[])) AS hi, max(jammer_count)::INT AS jmax
           FROM read_parquet('${root}/data/snapshots.parquet')`,
        )
      ).getRowObjectsJson()[0] as Record<string, number>;
      expect(rows.n).toBe(20);
      expect(rows.lo).toBeGreaterThanOrEqual(0);
      expect(rows.hi).toBeLessThanOrEqual(1);
      const events = (
        await c.runAndReadAll(
          `SELECT count(*)::INT AS n, count(DISTINCT scenario_index)::INT AS s, bool_and(kind_id >= 0) AS ok
           FROM read_parquet('${root}/data/events.parquet')`,
        )
      ).getRowObjectsJson()[0] as Record<string, number | boolean>;
      expect(events.ok).toBe(true);
      const scenarios = (
        await c.runAndReadAll(
          `SELECT scenario_json FROM read_parquet('${root}/data/scenarios.parquet') ORDER BY scenario_index`,
        )
      ).getRowObjectsJson() as { scenario_json: string }[];
      expect(scenarios).toHaveLength(4);
      const totalEvents = scenarios.reduce((a, s) => a + JSON.parse(s.scenario_json).events.length, 0);
      expect(events.n).toBe(totalEvents);
      c.closeSync();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
