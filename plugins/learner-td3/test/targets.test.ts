import { silentLogger } from '@twinforge/core';
import { initTensorBackend, tf } from '@twinforge/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedDoubleQTarget, smoothTargetActions } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
});

const col = (xs: number[]) => tf.tensor2d(xs, [xs.length, 1]);

describe('TD3 target', () => {
  it('target policy smoothing clips the noise to ±c, then the action to [-1, 1]', () => {
    // noise 0.3 passes, 0.7 → 0.5, −0.6 → −0.5; sums 0.8, 1.4 → 1, −1.3 → −1
    const a = tf.tidy(() =>
      Array.from(smoothTargetActions(col([0.5, 0.9, -0.8]), col([0.3, 0.7, -0.6]), 0.5).dataSync()),
    );
    expect(a[0]).toBeCloseTo(0.8, 6);
    expect(a[1]).toBe(1);
    expect(a[2]).toBe(-1);
  });

  it('clipped double-Q: y = r + γ(1 − d)·min(Q1′, Q2′)', () => {
    // min = 3, 2, 7; y = 1 + 0.9·3 = 3.7, 0 + 0.9·2 = 1.8, terminal −2
    const y = tf.tidy(() =>
      Array.from(
        clippedDoubleQTarget({
          rewards: col([1, 0, -2]),
          terminated: col([0, 0, 1]),
          q1: col([3, 5, 7]),
          q2: col([4, 2, 9]),
          gamma: 0.9,
        }).dataSync(),
      ),
    );
    expect(y[0]).toBeCloseTo(3.7, 6);
    expect(y[1]).toBeCloseTo(1.8, 6);
    expect(y[2]).toBeCloseTo(-2, 6);
  });

  it('never exceeds the single-critic target and never leaves [-1, 1] (random batches)', () => {
    const f = fc.float({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(f, f, f, f, f), { minLength: 1, maxLength: 10 }), (rows) => {
        const [y, yq1, a] = tf.tidy(() => {
          const r = col(rows.map((x) => x[0]));
          const q1 = col(rows.map((x) => x[1]));
          const q2 = col(rows.map((x) => x[2]));
          const d = col(rows.map(() => 0));
          return [
            clippedDoubleQTarget({ rewards: r, terminated: d, q1, q2, gamma: 0.99 }).dataSync(),
            clippedDoubleQTarget({ rewards: r, terminated: d, q1, q2: q1, gamma: 0.99 }).dataSync(),
            smoothTargetActions(col(rows.map((x) => Math.tanh(x[3]))), col(rows.map((x) => x[4])), 0.5).dataSync(),
          ];
        });
        rows.forEach((row, i) => {
          expect(y[i] as number).toBeLessThanOrEqual((yq1[i] as number) + 1e-5);
          expect(y[i] as number).toBeCloseTo(row[0] + 0.99 * Math.min(row[1], row[2]), 3);
          expect(Math.abs(a[i] as number)).toBeLessThanOrEqual(1);
          expect(Math.abs((a[i] as number) - Math.tanh(row[3]))).toBeLessThanOrEqual(0.5 + 1e-6);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('rejects mismatched shapes', () => {
    expect(() => tf.tidy(() => smoothTargetActions(col([0.1, 0.2]), col([0.1]), 0.5))).toThrow(/must match/);
  });
});
