import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('reproduce/dirs.ts --smoke', () => {
  it('trains and evaluates DIRS on the small preset, prints the three tables and its summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'dirs-smoke-'));
    try {
      const res = runScript('reproduce/dirs.ts', ['--smoke', '--out', out]);
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/Table V \(2x30/);
      expect(res.stdout).toMatch(/Table II \(2x30/);
      expect(res.stdout).toMatch(/Table III \(2x30/);
      expect(res.summary).toMatch(
        /^reproduce:dirs 2x30: NRR [\d.]+ \(target ≥ 0\.95: (met|MISSED)\), [\d.]+ of the exact optimum, decisions \d+x faster than PSO/,
      );
      const table5 = readFileSync(join(out, 'table5.csv'), 'utf8').trim().split('\n');
      expect(table5[0]).toBe(
        'method,training_s,decision_ms,time_per_device_s,energy_per_device_J,phi,nrr_vs_pso,of_optimum,draws',
      );
      expect(table5.length).toBe(10);
      // the exact optimum is never beaten
      const rows = table5.slice(1).map((l) => l.split(','));
      for (const r of rows) expect(Number(r[7])).toBeLessThanOrEqual(1 + 1e-9);
      expect(readFileSync(join(out, 'datasets', 'demonstrations-seed1', 'meta', 'info.json'), 'utf8')).toContain(
        '"mec_1"',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
