import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench:twin --smoke', () => {
  it('measures fork cost and telemetry ingest against their peers and ends with a summary line', () => {
    const res = runScript('bench/twin.ts', ['--smoke']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.summary).toMatch(
      /^bench:twin 200-entity twin: fork [\d.]+ µs\/domain \(\d+x cheaper than structuredClone [\d.]+ µs\), fork\+step [\d.]+ µs; ingest \d+ updates\/s in batches of 100 \([\d.]+x a structuredClone store\), \d+ updates\/s one commit each \([\d.]+x\) \[smoke\]$/,
    );
  });
});
