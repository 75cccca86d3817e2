import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  gammaFn,
  kMeans,
  LevySteps,
  MecSystem,
  mantegnaSigma,
  RayleighFading,
  reflect,
  samplePositions,
} from '../src/index.js';

function meanNearestNeighbour(p: Float64Array): number {
  const n = p.length / 2;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      best = Math.min(
        best,
        Math.hypot((p[2 * i] as number) - (p[2 * k] as number), (p[2 * i + 1] as number) - (p[2 * k + 1] as number)),
      );
    }
    s += best;
  }
  return s / n;
}

function meanDistanceToCentre(p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length / 2; i++) s += Math.hypot((p[2 * i] as number) - 25, (p[2 * i + 1] as number) - 25);
  return s / (p.length / 2);
}

describe('Lévy steps (Mantegna)', () => {
  it('gamma and σ_u match known values', () => {
    expect(gammaFn(5)).toBeCloseTo(24, 10);
    expect(gammaFn(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gammaFn(2.5)).toBeCloseTo(1.329340388179137, 12);
    expect(mantegnaSigma(1.5)).toBeCloseTo(0.6965745, 6);
    expect(mantegnaSigma(1)).toBeCloseTo(1, 12);
    expect(() => mantegnaSigma(0)).toThrow(/beta/);
  });

  it('a smaller β has the heavier tail (longer jumps)', () => {
    const rng = createRng(1);
    const tail = (beta: number) => {
      const steps = new LevySteps(beta).fill(rng, new Float64Array(20000));
      return steps.filter((d) => Math.abs(d) > 10).length / steps.length;
    };
    expect(tail(0.8)).toBeGreaterThan(3 * tail(1.5));
    expect(tail(1.9)).toBeLessThan(tail(1.5));
  });
});

describe('device positions', () => {
  it('stay inside the area for every distribution', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('uniform', 'gaussian', 'levy') as fc.Arbitrary<'uniform'>, (seed, d) => {
        const p = samplePositions(100, createRng(seed), { distribution: d, areaM: [50, 30], levyScaleM: 20 });
        for (let i = 0; i < 100; i++) {
          expect(p[2 * i]).toBeGreaterThanOrEqual(0);
          expect(p[2 * i]).toBeLessThanOrEqual(50);
          expect(p[2 * i + 1]).toBeGreaterThanOrEqual(0);
          expect(p[2 * i + 1]).toBeLessThanOrEqual(30);
        }
      }),
      { numRuns: 50 },
    );
    expect(reflect(-3, 10)).toBe(3);
    expect(reflect(23, 10)).toBe(3);
    expect(() => reflect(Number.NaN, 10)).toThrow(/finite/);
  });

  it('Gaussian positions gather at the centre and Lévy positions cluster, compared with uniform', () => {
    const rng = createRng(3);
    const opts = { areaM: [50, 50] as const };
    const u = samplePositions(400, rng.split('u'), { ...opts, distribution: 'uniform' });
    const g = samplePositions(400, rng.split('g'), { ...opts, distribution: 'gaussian' });
    const l = samplePositions(400, rng.split('l'), { ...opts, distribution: 'levy' });
    expect(meanDistanceToCentre(g)).toBeLessThan(0.6 * meanDistanceToCentre(u));
    expect(meanNearestNeighbour(l)).toBeLessThan(0.6 * meanNearestNeighbour(u));
  });
});

describe('k-means MEC placement', () => {
  it('returns k centres at the means of their clusters, each point at its nearest centre', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 10 }), (seed, k) => {
        const rng = createRng(seed);
        const pts = samplePositions(60, rng, { distribution: 'levy', areaM: [50, 50], levyScaleM: 3 });
        const { centers, assignment } = kMeans(pts, k, rng.split('k'));
        expect(centers.length).toBe(2 * k);
        const count = new Array(k).fill(0);
        for (let i = 0; i < 60; i++) {
          const a = assignment[i] as number;
          count[a]++;
          const d = (m: number) =>
            ((pts[2 * i] as number) - (centers[2 * m] as number)) ** 2 +
            ((pts[2 * i + 1] as number) - (centers[2 * m + 1] as number)) ** 2;
          for (let m = 0; m < k; m++) expect(d(a)).toBeLessThanOrEqual(d(m) + 1e-9);
        }
        expect(count.every((c) => c > 0) || new Set(Array.from(pts)).size < 2 * k).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('places the 10x200 MECs among their devices: each device is nearer its MEC than a random point', () => {
    const sys = new MecSystem({ scenario: '10x200' });
    expect(sys.layout.mecPositions.length).toBe(20);
    const fixed = new MecSystem({ scenario: '2x30' });
    expect(Array.from(fixed.layout.mecPositions)).toEqual([10, 10, 40, 40]);
    // the layout is a function of layoutSeed only
    expect(Array.from(new MecSystem({ scenario: '10x200' }).layout.devicePositions)).toEqual(
      Array.from(sys.layout.devicePositions),
    );
    expect(Array.from(new MecSystem({ scenario: '10x200', layoutSeed: 1 }).layout.devicePositions)).not.toEqual(
      Array.from(sys.layout.devicePositions),
    );
  });
});

describe('Rayleigh fading', () => {
  it.each([0, 0.9])('has unit mean power and slot-to-slot power correlation ρ² (ρ = %s)', (rho) => {
    const f = new RayleighFading(4000, rho);
    const rng = createRng(11);
    const a = f.reset(rng).slice();
    const b = f.advance(rng).slice();
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(mean(a)).toBeCloseTo(1, 1);
    expect(mean(b)).toBeCloseTo(1, 1);
    let cov = 0;
    let va = 0;
    let vb = 0;
    for (let k = 0; k < 4000; k++) {
      cov += ((a[k] as number) - 1) * ((b[k] as number) - 1);
      va += ((a[k] as number) - 1) ** 2;
      vb += ((b[k] as number) - 1) ** 2;
    }
    expect(cov / Math.sqrt(va * vb)).toBeCloseTo(rho * rho, 1);
  });
});
