import { describe, expect, it } from 'vitest';
import { Box, type Env, NormalizeReward } from '../src/index.js';

/** Emits a fixed reward sequence; terminates where the plan says so. */
function scripted(rewards: number[], terminatedAt: Set<number>): Env<Float32Array, Float32Array> {
  let k = 0;
  const obs = new Float32Array(1);
  return {
    observationSpace: new Box(0, 0, { shape: [1] }),
    actionSpace: new Box(0, 0, { shape: [1] }),
    reset: () => ({ observation: obs, info: {} }),
    step: () => {
      const i = k++;
      return {
        observation: obs,
        reward: rewards[i] as number,
        terminated: terminatedAt.has(i),
        truncated: false,
        info: {},
      };
    },
  };
}

describe('NormalizeReward', () => {
  it('divides by the running std of the discounted return, resetting the return at termination', () => {
    const rewards = Array.from({ length: 400 }, (_, i) => ((i * 37) % 11) - 3);
    const ends = new Set([50, 120, 300]);
    const env = new NormalizeReward(scripted(rewards, ends), 0.9);
    env.reset();
    // Reference: the same recurrences written out directly, two-pass where possible.
    let g = 0;
    const returns: number[] = [];
    for (let i = 0; i < rewards.length; i++) {
      g = g * 0.9 * (ends.has(i) ? 0 : 1) + (rewards[i] as number);
      returns.push(g);
      const out = env.step(new Float32Array([0])).reward;
      // Prior of Gymnasium's RunningMeanStd: count 1e-4, mean 0, var 1, merged with the returns so far.
      const n = returns.length;
      const mean = returns.reduce((a, b) => a + b, 0) / n;
      const m2 = returns.reduce((a, b) => a + (b - mean) ** 2, 0);
      const c = 1e-4;
      const variance = (c * 1 + m2 + (mean * mean * c * n) / (c + n)) / (c + n);
      expect(out).toBeCloseTo((rewards[i] as number) / Math.sqrt(variance + 1e-8), 6);
    }
    expect(env.returnVar).toBeGreaterThan(0);
  });

  it('keeps the scale fixed when frozen', () => {
    const env = new NormalizeReward(scripted([1, 2, 3, 4], new Set()), 0.99);
    env.reset();
    env.step(new Float32Array([0]));
    env.updateRunningStats = false;
    const v = env.returnVar;
    const r = env.step(new Float32Array([0])).reward;
    expect(env.returnVar).toBe(v);
    expect(r).toBeCloseTo(2 / Math.sqrt(v + 1e-8), 12);
  });
});
