import { isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  histogram,
  jsDivergence,
  kolmogorovQ,
  ksTwoSample,
  medianBandwidth,
  mmd2Rbf,
  wasserstein1,
} from '../src/index.js';

const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 60 });

describe('Jensen-Shannon divergence (bits)', () => {
  it('is 0 for identical distributions and 1 for disjoint supports', () => {
    expect(jsDivergence([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
    expect(jsDivergence([1, 0], [0, 1])).toBeCloseTo(1, 12);
  });
  it('matches the hand-computed value for [1, 0] vs [½, ½]', () => {
    // M = [¾, ¼]; KL(P‖M) = log2(4/3); KL(Q‖M) = ½ log2(2/3) + ½ log2(2).
    const expected = 0.5 * Math.log2(4 / 3) + 0.5 * (0.5 * Math.log2(2 / 3) + 0.5);
    expect(jsDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 12);
  });
  it('is symmetric and within [0, 1] (property)', () => {
    const dist = fc
      .array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 })
      .filter((a) => a.some((v) => v > 0));
    fc.assert(
      fc.property(dist, dist, (p, q) => {
        const a = jsDivergence(p, q);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(a).toBeCloseTo(jsDivergence(q, p), 12);
      }),
    );
  });
  it('rejects negative weights and empty mass', () => {
    expect(() => jsDivergence([-1, 2], [1, 1])).toThrow(/finite and >= 0/);
    expect(() => jsDivergence([0, 0], [1, 1])).toThrow(/no mass/);
  });
});

describe('histogram', () => {
  it('clamps out-of-range values into the end bins', () => {
    expect(Array.from(histogram([-5, 0, 0.49, 0.5, 1, 7], 2, 0, 1))).toEqual([3, 3]);
  });
});

describe('Wasserstein-1', () => {
  it('is 0 between a sample and itself and |c| after a shift by c (property)', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: -100, max: 100, noNaN: true }), (xs, c) => {
        expect(wasserstein1(xs, xs)).toBe(0);
        expect(
          wasserstein1(
            xs,
            xs.map((x) => x + c),
          ),
        ).toBeCloseTo(Math.abs(c), 6);
      }),
    );
  });
  it('handles unequal sizes: {0} vs {0, 1} is ½', () => {
    expect(wasserstein1([0], [0, 1])).toBeCloseTo(0.5, 12);
  });
});

describe('two-sample Kolmogorov-Smirnov', () => {
  it('Q(1.358) is the 5 % critical value of the Kolmogorov distribution', () => {
    expect(kolmogorovQ(1.358)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(0.1)).toBe(1);
  });
  it('identical samples give D = 0 and p = 1; separated ones D = 1 and p ≈ 0', () => {
    const xs = Array.from({ length: 50 }, (_, i) => i);
    expect(ksTwoSample(xs, xs)).toMatchObject({ statistic: 0, pValue: 1 });
    const far = ksTwoSample(
      xs,
      xs.map((x) => x + 1000),
    );
    expect(far.statistic).toBe(1);
    expect(far.pValue).toBeLessThan(1e-10);
  });
  it('D is the largest CDF gap: {1,2,3,4} vs {3,4,5,6} has D = ½', () => {
    expect(ksTwoSample([1, 2, 3, 4], [3, 4, 5, 6]).statistic).toBeCloseTo(0.5, 12);
  });
});

describe('MMD² with an RBF kernel', () => {
  it('is exactly 0 for equal sets', () => {
    const xs = [Float32Array.of(0, 1), Float32Array.of(2, 3), Float32Array.of(-1, 4)];
    expect(mmd2Rbf(xs, xs, { bandwidth: 1.5 })).toBeCloseTo(0, 12);
  });
  it('between two point masses a and b is 2 − 2·k(a, b)', () => {
    const a = [Float32Array.of(0, 0), Float32Array.of(0, 0)];
    const b = [Float32Array.of(3, 4)];
    const sigma = 2;
    expect(mmd2Rbf(a, b, { bandwidth: sigma })).toBeCloseTo(2 - 2 * Math.exp(-25 / (2 * sigma * sigma)), 12);
  });
  it('grows with the shift between two samples (property on 1-D sets)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 2, noNaN: true }), (shift) => {
        const xs = Array.from({ length: 20 }, (_, i) => Float32Array.of(i / 10));
        const near = mmd2Rbf(
          xs,
          xs.map((x) => Float32Array.of((x[0] as number) + shift)),
          { bandwidth: 1 },
        );
        const far = mmd2Rbf(
          xs,
          xs.map((x) => Float32Array.of((x[0] as number) + 2 * shift)),
          { bandwidth: 1 },
        );
        expect(far).toBeGreaterThan(near);
      }),
      { numRuns: 30 },
    );
  });
  it('unbiased estimator is close to 0 for two samples of one distribution', () => {
    const xs = Array.from({ length: 40 }, (_, i) => Float32Array.of(Math.sin(i * 12.9898) * 0.5));
    const ys = Array.from({ length: 40 }, (_, i) => Float32Array.of(Math.sin((i + 40) * 12.9898) * 0.5));
    expect(Math.abs(mmd2Rbf(xs, ys, { bandwidth: 0.5, estimator: 'unbiased' }))).toBeLessThan(0.05);
  });
  it('median heuristic: the median pairwise distance; bad inputs are INVALID_ARGUMENT', () => {
    const xs = [Float32Array.of(0), Float32Array.of(1), Float32Array.of(3)];
    // Pairwise distances 1, 2, 3 → median 2.
    expect(medianBandwidth(xs)).toBeCloseTo(2, 12);
    try {
      mmd2Rbf(xs, [Float32Array.of(0, 1)], { bandwidth: 1 });
      expect.unreachable();
    } catch (e) {
      expect(isTwinforgeError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
