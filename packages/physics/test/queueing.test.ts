import { createRng, isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStable, md1, mm1, simulateFifoQueue } from '../src/index.js';

const rate = fc.double({ min: 0.01, max: 100, noNaN: true });

describe('M/M/1 and M/D/1', () => {
  it('M/M/1 has a steady state exactly when ρ < 1', () => {
    fc.assert(
      fc.property(rate, rate, (lambda, mu) => {
        let threw = false;
        try {
          mm1(lambda, mu);
        } catch (e) {
          threw = isTwinforgeError(e, 'PHYSICS_UNSTABLE');
        }
        expect(threw).toBe(lambda / mu >= 1);
        expect(isStable(lambda, mu)).toBe(lambda / mu < 1);
      }),
    );
  });
  it('M/M/1 W = 1/(μ-λ) is increasing in λ, obeys Little, and M/D/1 waits less', () => {
    fc.assert(
      fc.property(
        rate,
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (mu, r1, r2) => {
          const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const a = mm1(lo * mu, mu);
          const b = mm1(hi * mu, mu);
          expect(a.W).toBeCloseTo(1 / (mu - lo * mu), 9);
          expect(a.W).toBeLessThanOrEqual(b.W);
          expect(a.L).toBeCloseTo(lo * mu * a.W, 9);
          expect(a.Lq).toBeCloseTo(lo * mu * a.Wq, 9);
          expect(md1(lo * mu, mu).W).toBeLessThanOrEqual(a.W);
        },
      ),
    );
  });
});

describe('FIFO queue simulation', () => {
  const simArgs = fc.record({
    seed: fc.nat({ max: 1e6 }),
    arrivalRate: fc.double({ min: 0.5, max: 20, noNaN: true }),
    serviceRate: fc.double({ min: 0.5, max: 20, noNaN: true }),
    capacity: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    lossProbability: fc.double({ min: 0, max: 0.9, noNaN: true }),
    deterministicService: fc.boolean(),
    horizon: fc.double({ min: 1, max: 200, noNaN: true }),
  });
  it('conserves flow: arrivals = departures + backlog + drops', () => {
    fc.assert(
      fc.property(simArgs, ({ seed, ...o }) => {
        const r = simulateFifoQueue({ ...o, rng: createRng(seed) });
        expect(r.arrivals).toBe(r.departures + r.backlog + r.drops);
        if (o.capacity !== undefined) expect(r.backlog).toBeLessThanOrEqual(o.capacity);
      }),
      { numRuns: 60 },
    );
  });
  it("Little's law L = λ·W holds on every simulated sample path", () => {
    fc.assert(
      fc.property(simArgs, ({ seed, ...o }) => {
        const r = simulateFifoQueue({ ...o, rng: createRng(seed) });
        expect(Math.abs(r.meanInSystem - r.admittedRate * r.meanTimeInSystem)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, r.meanInSystem),
        );
      }),
      { numRuns: 60 },
    );
  });
  it('a long M/M/1 run approaches W = 1/(μ-λ), and jamming loss thins the admitted rate', () => {
    const r = simulateFifoQueue({ arrivalRate: 5, serviceRate: 10, horizon: 20000, rng: createRng(1) });
    expect(r.meanSojournCompleted).toBeGreaterThan(0.2 * 0.9);
    expect(r.meanSojournCompleted).toBeLessThan(0.2 * 1.1);
    const d = simulateFifoQueue({
      arrivalRate: 5,
      serviceRate: 10,
      horizon: 20000,
      deterministicService: true,
      rng: createRng(1),
    });
    expect(d.meanSojournCompleted).toBeGreaterThan(md1(5, 10).W * 0.9);
    expect(d.meanSojournCompleted).toBeLessThan(md1(5, 10).W * 1.1);
    const j = simulateFifoQueue({
      arrivalRate: 5,
      serviceRate: 10,
      horizon: 20000,
      lossProbability: 0.8,
      rng: createRng(2),
    });
    expect(j.drops / j.arrivals).toBeGreaterThan(0.78);
    expect(j.drops / j.arrivals).toBeLessThan(0.82);
  });
});
