import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('reproduce:tactical-baselines --smoke', () => {
  it('shows the static collapse and the reactive partial recovery, with CSV and plot', () => {
    const out = mkdtempSync(join(tmpdir(), 'tf-tactical-'));
    try {
      const res = runScript('reproduce/tactical-baselines.ts', ['--smoke', '--out', out]);
      expect(res.status, res.stderr).toBe(0);
      expect(res.summary).toMatch(
        /^reproduce:tactical-baselines 5 layouts x 1 seeds: static throughput -\d+ % .*\(target < -50 %: met\), reactive -?\d+ %, recovering \d+ % .*: met\) \[smoke\]$/,
      );
      const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe(
        't_s,offered_Mbps,static_throughput_Mbps,static_latency_ms,reactive_throughput_Mbps,reactive_latency_ms',
      );
      expect(csv).toHaveLength(101);
      expect(readFileSync(join(out, 'layouts.csv'), 'utf8').trim().split('\n')).toHaveLength(11);
      expect(readFileSync(join(out, 'throughput-latency.svg'), 'utf8')).toMatch(/^<svg/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
