import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench:tactical --smoke', () => {
  it('measures steps per second of the tactical mesh against the toy env and ends with a summary line', () => {
    const res = runScript('bench/tactical.ts', ['--smoke']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.summary).toMatch(
      /^bench:tactical tactical-mesh step\(\) per CPU-second N=20: \d+ steps\/s \([\d.]+x toy\), N=100: \d+ steps\/s .*\[smoke\]$/,
    );
  });
});
