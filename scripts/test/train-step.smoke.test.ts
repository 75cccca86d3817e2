import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('bench:train-step --smoke', () => {
  it('times an Adam step on wasm and cpu (and PyTorch when importable) and ends with the ratio line', () => {
    const res = runScript('bench/train-step.ts', ['--smoke']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/tfjs wasm +[\d.]+ \(cpu [\d.]+\) +[\d.]+ \(cpu [\d.]+\)/);
    expect(res.stdout).toMatch(/tfjs cpu +[\d.]+ \(cpu [\d.]+\)/);
    expect(res.stdout).toMatch(/not installed: tfjs node-gpu, tfjs node/);
    expect(res.stdout).toMatch(/tiny nets \(4-64-64-2 batch 64\): fastest tfjs backend here is (wasm|cpu)/);
    expect(res.summary).toMatch(
      /^bench:train-step 64-256-256-8 batch 256: wasm [\d.]+ ms, cpu [\d.]+ ms, (torch [\d.]+ ms, ratio [\d.]+x (wasm|cpu)\/torch \(cpu time [\d.]+x\)|torch absent, ratio [\d.]+x cpu\/wasm)$/,
    );
  });
});
