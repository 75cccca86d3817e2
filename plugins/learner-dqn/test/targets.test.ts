import { silentLogger } from '@twinforge/core';
import { initTensorBackend, tf } from '@twinforge/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { dqnTargets, linearSchedule } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
});

function targets(
  double: boolean,
  q: { target: number[][]; online: number[][] },
  r: number[],
  g: number[],
  d: number[],
) {
  return tf.tidy(() =>
    Array.from(
      dqnTargets({
        rewards: tf.tensor1d(r),
        discounts: tf.tensor1d(g),
        terminated: tf.tensor1d(d),
        nextQTarget: tf.tensor2d(q.target),
        ...(double ? { nextQOnline: tf.tensor2d(q.online) } : {}),
      }).dataSync(),
    ),
  );
}

describe('dqnTargets', () => {
  // Hand-computed: the online net prefers actions [0, 1, 1]; the target net values them at [1, 2, -1].
  const q = {
    target: [
      [1, 5],
      [3, 2],
      [0.5, -1],
    ],
    online: [
      [4, 0],
      [1, 2],
      [-1, 2],
    ],
  };
  const rewards = [1, -1, 2];
  const discounts = [0.9, 0.9, 0.81];
  const terminated = [0, 0, 1];

  it('double DQN: the online net chooses a′, the target net values it', () => {
    // y0 = 1 + 0.9·Qt(s′,0)=1 → 1.9; y1 = −1 + 0.9·Qt(s′,1)=2 → 0.8; y2 terminal → 2
    const y = targets(true, q, rewards, discounts, terminated);
    expect(y[0]).toBeCloseTo(1.9, 6);
    expect(y[1]).toBeCloseTo(0.8, 6);
    expect(y[2]).toBeCloseTo(2, 6);
  });

  it('vanilla DQN: max of the target net', () => {
    // y0 = 1 + 0.9·5 = 5.5; y1 = −1 + 0.9·3 = 1.7; y2 terminal → 2
    const y = targets(false, q, rewards, discounts, terminated);
    expect(y[0]).toBeCloseTo(5.5, 6);
    expect(y[1]).toBeCloseTo(1.7, 6);
    expect(y[2]).toBeCloseTo(2, 6);
  });

  it('uses each row’s own n-step discount γ^k', () => {
    // the same bootstrap value 4 with k = 1, 2, 3 and γ = 0.5: 4·0.5, 4·0.25, 4·0.125
    const y = targets(false, { target: [[4], [4], [4]], online: [] }, [0, 0, 0], [0.5, 0.25, 0.125], [0, 0, 0]);
    expect(y).toEqual([2, 1, 0.5]);
  });

  it('matches a host-side reference on random batches', () => {
    const row = fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), {
      minLength: 3,
      maxLength: 3,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(row, row, fc.float({ min: -5, max: 5, noNaN: true }), fc.boolean()), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        (rows, double) => {
          const tq = rows.map((r) => r[0]);
          const oq = rows.map((r) => r[1]);
          const rw = rows.map((r) => r[2]);
          const dn = rows.map((r) => (r[3] ? 1 : 0));
          const y = targets(
            double,
            { target: tq, online: oq },
            rw,
            rows.map(() => 0.99),
            dn,
          );
          rows.forEach((_, i) => {
            const t = tq[i] as number[];
            const o = oq[i] as number[];
            const best = o.indexOf(Math.max(...o));
            const v = double ? (t[best] as number) : Math.max(...t);
            const expected = (rw[i] as number) + 0.99 * (1 - (dn[i] as number)) * v;
            expect(y[i]).toBeCloseTo(expected, 3);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects mismatched shapes', () => {
    expect(() =>
      tf.tidy(() =>
        dqnTargets({
          rewards: tf.tensor1d([1, 2]),
          discounts: tf.tensor1d([1]),
          terminated: tf.tensor1d([0, 0]),
          nextQTarget: tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
        }),
      ),
    ).toThrow(/discounts must be \[2\]/);
  });
});

describe('linearSchedule (ε-greedy)', () => {
  it('falls linearly from initial to final, then stays', () => {
    expect(linearSchedule(1, 0.04, 8000, 0)).toBe(1);
    expect(linearSchedule(1, 0.04, 8000, 4000)).toBeCloseTo(0.52, 12);
    expect(linearSchedule(1, 0.04, 8000, 8000)).toBe(0.04);
    expect(linearSchedule(1, 0.04, 8000, 50_000)).toBe(0.04);
  });
});
