import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench/dataset-write.ts --smoke', () => {
  it('writes with twinforge and DuckDB, checks row counts and ends with the ratio line (speed is not checked)', () => {
    const res = runScript('bench/dataset-write.ts', ['--smoke']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^round 1: twinforge \d+ ms, duckdb \d+ ms, ratio [\d.]+x \(CPU time \d+ vs \d+ ms\)$/m);
    expect(res.stdout).toMatch(/twinforge write: \d+ ms, \d+ rows\/s, [\d.]+ MB in \d+ file\(s\)/);
    expect(res.stdout).toMatch(/duckdb {4}write: \d+ ms, \d+ rows\/s/);
    expect(res.summary).toMatch(
      /^bench:dataset-write 10010 rows: twinforge \d+ rows\/s, duckdb \d+ rows\/s, ratio [\d.]+x duckdb write time \(target <= 1\.5x: not checked with --smoke\)$/,
    );
  });
});
