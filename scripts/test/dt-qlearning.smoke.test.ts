import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('reproduce:dt-qlearning --smoke', () => {
  const out = mkdtempSync(join(tmpdir(), 'dtq-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains n = 1, 2, 3, 5, prints the table, writes CSV and SVG, ends with the summary line', () => {
    const res = runScript('reproduce/dt-qlearning.ts', ['--smoke', '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/hindsight-optimal return \d+\.\d+/);
    for (const n of [1, 2, 3, 5]) expect(res.stdout).toMatch(new RegExp(`^\\s+${n}\\s+(>)?\\d+`, 'm'));
    expect(res.summary).toMatch(
      /^reproduce:dt-qlearning threshold [\d.]+: n=1 >?\d+ ep \(final -?[\d.]+\), n=2 .* n=5 >?\d+ ep .*\[smoke: targets not enforced\]$/,
    );
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary).toHaveLength(5);
    expect(summary[0]).toContain('episodes_to_threshold');
    const curves = readFileSync(join(out, 'curves.csv'), 'utf8').trim().split('\n');
    expect(curves).toHaveLength(301);
    expect(readFileSync(join(out, 'curves.svg'), 'utf8')).toContain('<polyline');
    // Twin steps per episode: 0 for physical QL, (n - 1) x 10 tasks for DT-QL.
    const twinSteps = summary.slice(1).map((line) => Number(line.split(',')[9]));
    expect(twinSteps).toEqual([0, 10, 20, 40]);
  });
});
