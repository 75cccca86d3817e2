import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench:vector-env --smoke', () => {
  it('measures the plain loop, SyncVectorEnv and AsyncVectorEnv, and ends with a summary line', () => {
    const res = runScript('bench/vector-env.ts', ['--smoke']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^CartPole {10}1 {8}1 +\d+ +\d+ +\d+ +[\d.]+x +[\d.]+x +\d+ +\d+$/m);
    expect(res.stdout).toMatch(/^busy CartPole {5}8 {8}\d +\d+ +\d+ +\d+ /m);
    expect(res.summary).toMatch(
      /^bench:vector-env CartPole steps\/s sync\/async: 1: \d+\/\d+ \([\d.]+x\), 8: \d+\/\d+ \([\d.]+x\), busy 8: \d+\/\d+ \([\d.]+x\); round trip Atomics [\d.]+ µs vs postMessage [\d.]+ µs \[smoke\]$/,
    );
  });
});
