import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench:vector-env --smoke', () => {
  it('measures the sync vector env and its loop peer and ends with a summary line', () => {
    const res = runScript('bench/vector-env.ts', ['--smoke']);
    expect(res.status).toBe(0);
    expect(res.summary).toMatch(/^bench:vector-env CartPole sync 1: \d+ steps\/s \([\d.]+x loop\), 8: \d+ steps\/s/);
  });
});
