import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('dataset:sample', () => {
  it('regenerates the committed sample dataset bit for bit from its seed', () => {
    const res = runScript('datasets/sample.ts', ['--check']);
    expect(res.stderr).not.toMatch(/Error/);
    expect(res.summary).toBe('dataset:sample --check: identical');
    expect(res.status).toBe(0);
  });
});
