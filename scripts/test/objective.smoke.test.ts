import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench/objective.ts --smoke', () => {
  it('runs, agrees with the scalar peer and ends with its summary line', () => {
    const res = runScript('bench/objective.ts', ['--smoke']);
    expect(res.status).toBe(0);
    expect(res.summary).toMatch(
      /^bench:objective 2x30: tabulated \d+ eval\/s, streamed \d+ eval\/s, scalar \d+ eval\/s, ratio [\d.]+x \(streamed [\d.]+x\), forms agree$/,
    );
  });
});
