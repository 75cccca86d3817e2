import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoverageProfile, IovModel, iovConfigSchema, type RadioParams, rateAt, transmit } from '../src/index.js';

const rsu: RadioParams = {
  x_m: 250,
  y_m: 10,
  coverageRadius_m: 150,
  bandwidth_Hz: 10e6,
  txPower_dBm: 30,
  pathLossExponent: 3.2,
  pathLossRef_dB: 40,
  refDistance_m: 1,
  noiseFigure_dB: 7,
};

describe('radio model', () => {
  it('rate is Shannon over log-distance loss and thermal noise, falling with distance', () => {
    // Hand computation at the foot of the AP (d = 10 m): PL = 40 + 32·log10(10) = 72 dB, rx = -42 dBm,
    // noise = -174 + 70 + 7 = -97 dBm, SNR = 55 dB, r = 10 MHz · log2(1 + 10^5.5).
    expect(rateAt(rsu, 250)).toBeCloseTo(10e6 * Math.log2(1 + 10 ** 5.5), 0);
    let previous = Number.POSITIVE_INFINITY;
    for (let x = 250; x <= 400; x += 10) {
      const r = rateAt(rsu, x);
      expect(r).toBeLessThan(previous);
      previous = r;
    }
  });

  it('the coverage profile covers the chord of the coverage disc and integrates the rate', () => {
    const p = new CoverageProfile(rsu, 1);
    const half = Math.sqrt(150 ** 2 - 10 ** 2);
    expect(p.lo).toBeCloseTo(250 - half, 9);
    expect(p.hi).toBeCloseTo(250 + half, 9);
    // Simpson on a 10x finer grid as the reference for the trapezoid table.
    const simpson = (a: number, b: number, n = 2000) => {
      const h = (b - a) / n;
      let s = rateAt(rsu, a) + rateAt(rsu, b);
      for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * rateAt(rsu, a + i * h);
      return (s * h) / 3;
    };
    for (const x of [p.lo + 3.3, 250, 320.7, p.hi]) {
      expect(p.cumulative(x) / simpson(p.lo, x)).toBeCloseTo(1, 3);
    }
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (f) => {
        const target = f * p.cumulative(p.hi);
        expect(p.cumulative(p.positionAt(target))).toBeCloseTo(target, -1);
      }),
    );
  });

  it('transmissions follow the paper: immediate in coverage, wait for coverage ahead, fail behind or on leaving', () => {
    const p = new CoverageProfile(rsu, 1);
    const v = 20;
    // In coverage at the AP: a 10 Mbit task takes about bits / rate.
    const now = transmit(p, true, 250, 10e6, v, 2);
    expect(now.result).toBe('delivered');
    expect(now.wait_s).toBe(0);
    expect(now.latency_s).toBeCloseTo(10e6 / rateAt(rsu, 250), 2);
    // 20 m before the coverage: waits 1 s, then delivers.
    const ahead = transmit(p, true, p.lo - 20, 1e6, v, 2);
    expect(ahead.result).toBe('delivered');
    expect(ahead.wait_s).toBeCloseTo(1, 9);
    expect(ahead.latency_s).toBeGreaterThan(1);
    // 60 m before the coverage with a 2 s deadline: 3 s of waiting is too long, and nothing was sent.
    expect(transmit(p, true, p.lo - 60, 1e6, v, 2)).toMatchObject({ result: 'no-coverage-in-time', started: false });
    expect(transmit(p, true, p.hi + 1, 1e6, v, 2)).toMatchObject({ result: 'passed', started: false });
    expect(transmit(p, false, 250, 1e6, v, 2)).toMatchObject({ result: 'ap-down', started: false });
    // 5 m before the edge, a large task cannot finish before the vehicle leaves (0.25 s later).
    expect(transmit(p, true, p.hi - 5, 60e6, v, 2)).toMatchObject({ result: 'left-coverage', started: true });
    expect(transmit(p, true, p.hi - 5, 60e6, v, 2).latency_s).toBeCloseTo(0.25, 9);
    // With a tiny deadline the same task runs out of time inside coverage.
    expect(transmit(p, true, 250, 60e6, v, 0.05)).toMatchObject({ result: 'deadline', started: true, latency_s: 0.05 });
  });

  it('reward rises with success and falls with latency and cost', () => {
    const model = new IovModel(iovConfigSchema.parse({}));
    const ok = (latency_s: number) =>
      ({ result: 'delivered', delivered: true, started: true, latency_s, wait_s: 0 }) as const;
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (l1, l2, c1, c2) => {
          const [lo, hi] = l1 <= l2 ? [l1, l2] : [l2, l1];
          const [cheap, dear] = c1 <= c2 ? [c1, c2] : [c2, c1];
          expect(model.reward(ok(lo), cheap, 2)).toBeGreaterThanOrEqual(model.reward(ok(hi), cheap, 2));
          expect(model.reward(ok(lo), cheap, 2)).toBeGreaterThanOrEqual(model.reward(ok(lo), dear, 2));
          const failed = {
            result: 'left-coverage',
            delivered: false,
            started: true,
            latency_s: lo,
            wait_s: 0,
          } as const;
          expect(model.reward(ok(hi), dear, 2)).toBeGreaterThan(model.reward(failed, cheap, 2));
        },
      ),
    );
  });
});
