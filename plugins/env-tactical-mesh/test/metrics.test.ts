import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewardConfigSchema } from '../src/config.js';
import type { MeshMetrics } from '../src/metrics.js';
import { jainIndex } from '../src/metrics.js';
import { computeRewards } from '../src/reward.js';
import { StepCounters } from '../src/step-counters.js';

describe('Jain fairness', () => {
  it('is 1 for equal shares, 1/n when one source gets everything, within [1/n, 1] always', () => {
    expect(jainIndex([3, 3, 3])).toBeCloseTo(1, 12);
    expect(jainIndex([0, 0, 5, 0])).toBeCloseTo(0.25, 12);
    expect(jainIndex([0, 0])).toBe(1);
    expect(jainIndex([4, 0, 4], [1, 0, 1])).toBeCloseTo(1, 12);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (x) => {
        const j = jainIndex(x);
        expect(j).toBeLessThanOrEqual(1 + 1e-12);
        expect(j).toBeGreaterThanOrEqual(1 / x.length - 1e-12);
      }),
    );
  });
});

describe('rewards', () => {
  const metrics = { throughput_Mbps: 3, latency_ms: 40, dropped: 10 } as MeshMetrics;
  const counters = new StepCounters(2);
  counters.deliveredBy.set([100, 0]);
  counters.latencyBy_s.set([2, 0]);
  counters.droppedBy.set([0, 10]);
  const perPacket = 0.012;

  it('global: throughput − latency penalty − drops, the same for every agent', () => {
    const out = new Float64Array(2);
    computeRewards(rewardConfigSchema.parse({}), metrics, counters, perPacket, out);
    const expected = 3 - 0.01 * 40 - 10 * perPacket;
    expect(Array.from(out)).toEqual([expected, expected]);
  });

  it('local: each agent scores on its own packets (scaled by N); mixed blends', () => {
    const out = new Float64Array(2);
    computeRewards(rewardConfigSchema.parse({ mode: 'local' }), metrics, counters, perPacket, out);
    expect(out[0]).toBeCloseTo(100 * perPacket * 2 - 0.01 * 20, 12);
    expect(out[1]).toBeCloseTo(-10 * perPacket * 2, 12);
    const mixed = new Float64Array(2);
    computeRewards(rewardConfigSchema.parse({ mode: 'mixed', localShare: 0.25 }), metrics, counters, perPacket, mixed);
    const global = 3 - 0.4 - 10 * perPacket;
    expect(mixed[0]).toBeCloseTo(0.75 * global + 0.25 * (out[0] as number), 12);
  });
});
