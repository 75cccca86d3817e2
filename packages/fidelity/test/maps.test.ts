import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conditionAccuracy,
  constraintViolations,
  countHotspots,
  evaluateMaps,
  forbiddenBandConstraint,
  type MapSet,
  memorisation,
  mmd2Rbf,
  mmdRatioOverDraws,
  mmdRatiosOverDraws,
  pixelMarginalDistances,
  radialPowerSpectrum,
  rangeConstraint,
  semivariogram,
  semivariogramDistance,
  spectrumDistance,
} from '../src/index.js';

const W = 8;
const set = (maps: Float32Array[], w = W, h = W): MapSet => ({ width: w, height: h, maps });
const fromFn = (f: (r: number, c: number) => number, w = W, h = W) =>
  Float32Array.from({ length: w * h }, (_, k) => f(Math.floor(k / w), k % w));
/** Deterministic pseudo-random maps (a hash), so tests need no Rng. */
const noiseMap = (seed: number, w = W, h = W) =>
  fromFn(
    (r, c) => {
      const x = Math.sin((r * 131 + c * 17 + seed * 7919) * 12.9898) * 43758.5453;
      return x - Math.floor(x);
    },
    w,
    h,
  );

describe('per-pixel marginals', () => {
  it('identical sets give JS = 0 and W1 = 0', () => {
    const a = set([noiseMap(1), noiseMap(2), noiseMap(3)]);
    expect(pixelMarginalDistances(a, a)).toMatchObject({ js: 0, w1: 0 });
  });
  it('shifting every map by c gives W1 = |c| in every cell (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), (c) => {
        const a = set([noiseMap(1), noiseMap(2), noiseMap(3)]);
        const b = set(a.maps.map((m) => m.map((v) => v + c)));
        const d = pixelMarginalDistances(a, b);
        expect(d.w1).toBeCloseTo(Math.abs(c), 4);
        expect(d.w1Max).toBeCloseTo(Math.abs(c), 4);
      }),
      { numRuns: 25 },
    );
  });
  it('JS is 1 bit when the two sets never share a histogram bin', () => {
    const a = set([fromFn(() => 0), fromFn(() => 0)]);
    const b = set([fromFn(() => 1), fromFn(() => 1)]);
    expect(pixelMarginalDistances(a, b, { bins: 4, range: [0, 1] }).js).toBeCloseTo(1, 12);
  });
});

describe('semivariogram', () => {
  it('is 0 for constant maps', () => {
    expect(Array.from(semivariogram(set([fromFn(() => 3)]), 3))).toEqual([0, 0, 0]);
  });
  it('a ±1 checkerboard has γ(1) = 2 and γ(2) = 0', () => {
    const g = semivariogram(set([fromFn((r, c) => ((r + c) % 2 === 0 ? 1 : -1))]), 2);
    expect(g[0]).toBeCloseTo(2, 12);
    expect(g[1]).toBeCloseTo(0, 12);
  });
  it('a horizontal ramp v = c has γ(h) = h²/4 (half of the column pairs do not vary)', () => {
    // Row pairs differ by h, column pairs by 0: γ = ½ · h² · (pairs along rows) / (all pairs).
    const g = semivariogram(set([fromFn((_r, c) => c)]), 2);
    const rows = (lag: number) => W * (W - lag);
    expect(g[0]).toBeCloseTo((0.5 * 1 * rows(1)) / (2 * rows(1)), 12);
    expect(g[1]).toBeCloseTo((0.5 * 4 * rows(2)) / (2 * rows(2)), 12);
  });
  it('distance is 0 between a set and itself and 1 against flat maps', () => {
    const a = set([noiseMap(4), noiseMap(5)]);
    expect(semivariogramDistance(a, a)).toBe(0);
    expect(semivariogramDistance(a, set([fromFn(() => 0.5), fromFn(() => 0.5)]))).toBeCloseTo(1, 12);
  });
});

describe('radial power spectrum', () => {
  it('a cosine with k cycles per map along x puts all its power at radius k', () => {
    for (const k of [1, 2, 3]) {
      const p = radialPowerSpectrum(set([fromFn((_r, c) => Math.cos((2 * Math.PI * k * c) / W))]));
      const peak = p.indexOf(Math.max(...p));
      expect(peak + 1).toBe(k);
      // Float32 maps leak ~1e-14 of the peak into other radii.
      for (const [i, v] of p.entries()) if (i !== k - 1) expect(v).toBeLessThan(1e-9 * (p[k - 1] as number));
    }
  });
  it("Parseval: a wave's power, Σ|F|²/(w·h) = Σ(x − mean)², lands in its radius's average", () => {
    const m = fromFn((_r, c) => Math.cos((2 * Math.PI * c) / W));
    let energy = 0;
    for (const v of m) energy += v * v;
    const p = radialPowerSpectrum(set([m]));
    // Radius 1 averages 8 frequencies ((±1, 0), (0, ±1), (±1, ±1): √2 rounds to 1); two carry all the energy.
    expect((p[0] as number) * 8).toBeCloseTo(energy, 5);
  });
  it('distance is 0 for identical sets and about 1 per decade of power lost', () => {
    const a = set([noiseMap(1), noiseMap(2)]);
    expect(spectrumDistance(a, a)).toBe(0);
    const quieter = set(a.maps.map((m) => m.map((v) => v / Math.sqrt(10))));
    expect(spectrumDistance(a, quieter)).toBeCloseTo(1, 5);
  });
});

describe('physical constraints', () => {
  it('counts cells outside a range and inside a forbidden band; a cell breaking two rules counts once', () => {
    const m = Float32Array.of(-150, -149, -140, -120, -100, -50, 0, 5);
    const rep = constraintViolations(set([m], 4, 2), [
      rangeConstraint('range', -150, 0),
      forbiddenBandConstraint('gap', -145, -105),
    ]);
    expect(rep.byConstraint).toEqual({ range: 1 / 8, gap: 2 / 8 });
    expect(rep.cellRate).toBeCloseTo(3 / 8, 12);
    expect(rep.mapRate).toBe(1);
  });
  it('overlapping rules: the union of violating cells', () => {
    const m = Float32Array.of(-149, 1);
    const rep = constraintViolations(set([m], 2, 1), [
      forbiddenBandConstraint('a', -150, -140),
      forbiddenBandConstraint('b', -155, -145),
    ]);
    expect(rep.cellRate).toBe(0.5);
    expect(rep.byConstraint).toEqual({ a: 0.5, b: 0.5 });
  });
  it('a valid set has zero violations', () => {
    const rep = constraintViolations(set([noiseMap(1)]), [rangeConstraint('unit', 0, 1)]);
    expect(rep).toMatchObject({ cellRate: 0, mapRate: 0 });
  });
});

describe('memorisation', () => {
  const training = set([noiseMap(1), noiseMap(2), noiseMap(3), noiseMap(4)]);
  it('copies of training maps are flagged, fresh maps are not', () => {
    expect(memorisation(set([noiseMap(2), noiseMap(3)]), training).rate).toBe(1);
    expect(memorisation(set([noiseMap(10), noiseMap(11)]), training).rate).toBe(0);
  });
  it('a mode duplicated in the training set (d1 = d2 = 0) is not a copy', () => {
    const flat = fromFn(() => 0);
    const t = set([flat, Float32Array.from(flat), noiseMap(9)]);
    expect(memorisation(set([Float32Array.from(flat)]), t).rate).toBe(0);
  });
});

/** A map with Gaussian bumps at the given cells (row, col), like jammers on a floor. */
const bumps = (centres: [number, number][], w = 16) =>
  fromFn((r, c) => Math.max(-150, ...centres.map(([y, x]) => -60 - 8 * Math.hypot(r - y, c - x) ** 2)), w, w);

describe('hot spots and condition accuracy', () => {
  it('counts separated bumps exactly (property over positions)', () => {
    const cell = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 0, maxLength: 4 }), (cs) => {
        // Keep only bumps at least 3 cells apart (Chebyshev): then each is its own peak.
        const kept: [number, number][] = [];
        for (const c of cs)
          if (kept.every(([r, k]) => Math.max(Math.abs(r - c[0]), Math.abs(k - c[1])) >= 3)) kept.push(c);
        expect(countHotspots(bumps(kept), 16, 16, { threshold: -125 })).toBe(kept.length);
      }),
    );
  });
  it('a plateau counts once and nothing above the threshold counts zero', () => {
    expect(
      countHotspots(
        fromFn(() => -50, 16, 16),
        16,
        16,
        { threshold: -125 },
      ),
    ).toBe(1);
    expect(
      countHotspots(
        fromFn(() => -150, 16, 16),
        16,
        16,
        { threshold: -125 },
      ),
    ).toBe(0);
  });
  it('accuracy and confusion against targets', () => {
    const maps = set(
      [
        bumps([[3, 3]]),
        bumps([
          [3, 3],
          [10, 10],
        ]),
        bumps([]),
      ],
      16,
      16,
    );
    const acc = conditionAccuracy(maps, [1, 1, 0], { threshold: -125 });
    expect(acc.accuracy).toBeCloseTo(2 / 3, 12);
    expect(acc.confusion).toEqual({ '1->1': 1, '1->2': 1, '0->0': 1 });
  });
});

describe('evaluateMaps', () => {
  it('a candidate equal to the floor sample scores like it; shifted and flat ones score far worse', () => {
    const reference = set(Array.from({ length: 12 }, (_, i) => noiseMap(i)));
    const floorMaps = set(Array.from({ length: 12 }, (_, i) => noiseMap(100 + i)));
    const shifted = set(reference.maps.map((m) => m.map((v) => v + 1)));
    const flat = set(Array.from({ length: 12 }, () => fromFn(() => 0.5)));
    const rep = evaluateMaps(
      { reference },
      { maps: floorMaps },
      { same: { maps: floorMaps }, shifted: { maps: shifted }, flat: { maps: flat } },
    );
    expect(rep.mmdRatio.same).toBeCloseTo(1, 12);
    expect(rep.mmdRatio.shifted).toBeGreaterThan(2);
    expect(rep.candidates.shifted?.pixelW1).toBeCloseTo(1, 5);
    expect(rep.candidates.flat?.semivariogram).toBeCloseTo(1, 6);
  });
});

describe('MMD ratio over real redraws', () => {
  const real = (from: number, n = 12) => set(Array.from({ length: n }, (_, i) => noiseMap(from + i)));
  const draws = [0, 1, 2].map((k) => ({ reference: real(100 * k), floor: real(100 * k + 50) }));

  it('is 1 on a draw whose floor is the candidate, above 1 on every draw for a shifted candidate, mean of draws', () => {
    const r = mmdRatioOverDraws(draws[1]!.floor, draws, { bandwidth: 2 });
    expect(r.ratios[1]).toBe(1);
    expect(r.mean).toBeCloseTo(r.ratios.reduce((a, b) => a + b, 0) / 3, 12);
    expect([r.min, r.max]).toEqual([Math.min(...r.ratios), Math.max(...r.ratios)]);
    const shifted = set(real(900).maps.map((m) => m.map((v) => v + 0.5)));
    const s = mmdRatioOverDraws(shifted, draws, { bandwidth: 2 });
    for (const v of s.ratios) expect(v).toBeGreaterThan(3);
  });

  it('for several candidates gives each the single-candidate figures, which are ratios of plain MMD² values', () => {
    const shifted = set(real(900).maps.map((m) => m.map((v) => v + 0.5)));
    const many = mmdRatiosOverDraws({ near: draws[1]!.floor, shifted }, draws, { bandwidth: 2 });
    expect(many.near).toEqual(mmdRatioOverDraws(draws[1]!.floor, draws, { bandwidth: 2 }));
    expect(many.shifted).toEqual(mmdRatioOverDraws(shifted, draws, { bandwidth: 2 }));
    const direct = draws.map(
      (d) =>
        mmd2Rbf(d.reference.maps, shifted.maps, { bandwidth: 2 }) /
        mmd2Rbf(d.reference.maps, d.floor.maps, { bandwidth: 2 }),
    );
    expect(many.shifted.ratios).toEqual(direct);
    expect(() => mmdRatiosOverDraws({}, draws, { bandwidth: 2 })).toThrow(/needs a candidate/);
    expect(() => mmdRatiosOverDraws({ a: real(0), b: real(0, 10) }, draws, { bandwidth: 2 })).toThrow(
      /candidate 'b' holds 10 maps/,
    );
  });

  it('refuses sets of another size or shape and an empty list of draws, naming the draw', () => {
    expect(() => mmdRatioOverDraws(real(900, 10), draws, { bandwidth: 2 })).toThrow(/draw 0 floor holds 12 maps/);
    const bigReference = draws.map((d, k) => ({ ...d, reference: real(1000 + 100 * k, 20) }));
    expect(mmdRatioOverDraws(real(900), bigReference, { bandwidth: 2 }).ratios).toHaveLength(3);
    const odd = [
      draws[0]!,
      {
        reference: real(0),
        floor: set(
          real(0).maps.map(() => noiseMap(1, 4, 4)),
          4,
          4,
        ),
      },
    ];
    expect(() => mmdRatioOverDraws(real(900), odd, { bandwidth: 2 })).toThrow(/draw 1 floor/);
    expect(() => mmdRatioOverDraws(real(900), [], { bandwidth: 2 })).toThrow(/at least one draw/);
  });
});
