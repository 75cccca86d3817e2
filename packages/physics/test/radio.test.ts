import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dbmToWatts,
  dbToLinear,
  dirsChannelGain,
  distance3d,
  fillRayleighPowerGain,
  fillRicianPowerGain,
  freeSpacePathLossDb,
  friisReceivedPower,
  jammingPower,
  linearToDb,
  logDistancePathLossDb,
  ofdmUserRatesInto,
  rayleighOutageProbability,
  rayleighPowerGain,
  ricianPowerGain,
  shadowingDb,
  shannonRate,
  shannonRateInto,
  shannonRateWithNoiseDensity,
  sinr,
  snr,
  thermalNoiseDbm,
  thermalNoiseWatts,
  wattsToDbm,
  widebandRateLimit,
} from '../src/index.js';

const snrArb = fc.double({ min: 0, max: 1e6, noNaN: true });
const bwArb = fc.double({ min: 1, max: 1e9, noNaN: true });
const posDist = fc.double({ min: 0.01, max: 1e5, noNaN: true });
const freqArb = fc.double({ min: 1e6, max: 1e11, noNaN: true });
const rel = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('units', () => {
  it('dB and dBm conversions round-trip', () => {
    fc.assert(
      fc.property(fc.double({ min: -200, max: 200, noNaN: true }), (db) => {
        expect(linearToDb(dbToLinear(db))).toBeCloseTo(db, 9);
        expect(wattsToDbm(dbmToWatts(db))).toBeCloseTo(db, 9);
      }),
    );
  });
  it('thermal noise is -174 dBm/Hz + 10log10(B) + NF', () => {
    expect(thermalNoiseDbm(1)).toBe(-174);
    expect(thermalNoiseDbm(1e6, 7)).toBeCloseTo(-174 + 60 + 7, 12);
    expect(thermalNoiseWatts(1e6)).toBeCloseTo(10 ** ((-114 - 30) / 10), 25);
    expect(dbmToWatts(20)).toBeCloseTo(0.1, 15);
  });
});

describe('Shannon rate', () => {
  it('is zero at zero SNR and increasing in SNR', () => {
    expect(shannonRate(1e6, 0)).toBe(0);
    fc.assert(
      fc.property(bwArb, snrArb, snrArb, (b, s1, s2) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(shannonRate(b, lo)).toBeLessThanOrEqual(shannonRate(b, hi));
        if (hi > lo * (1 + 1e-9) + 1e-12) expect(shannonRate(b, lo)).toBeLessThan(shannonRate(b, hi));
      }),
    );
  });
  it('is concave in SNR (midpoint inequality)', () => {
    fc.assert(
      fc.property(bwArb, snrArb, snrArb, (b, s1, s2) => {
        const mid = shannonRate(b, (s1 + s2) / 2);
        const chord = (shannonRate(b, s1) + shannonRate(b, s2)) / 2;
        // relative tolerance for rounding, plus an absolute one for subnormal rates
        expect(mid).toBeGreaterThanOrEqual(chord * (1 - 1e-12) - 1e-300);
      }),
    );
  });
  it('is below the linear bound B·SNR/ln 2', () => {
    fc.assert(
      fc.property(bwArb, snrArb, (b, s) => {
        expect(shannonRate(b, s)).toBeLessThanOrEqual(((b * s) / Math.LN2) * (1 + 1e-12));
      }),
    );
  });
  it('with noise N0·B, rate increases in bandwidth and stays below P/(N0 ln 2)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 10, noNaN: true }),
        fc.double({ min: 1e-21, max: 1e-12, noNaN: true }),
        bwArb,
        bwArb,
        (p, n0, b1, b2) => {
          const [lo, hi] = b1 <= b2 ? [b1, b2] : [b2, b1];
          const rLo = shannonRateWithNoiseDensity(lo, p, n0);
          const rHi = shannonRateWithNoiseDensity(hi, p, n0);
          expect(rLo).toBeLessThanOrEqual(rHi * (1 + 1e-12));
          expect(rHi).toBeLessThanOrEqual(widebandRateLimit(p, n0) * (1 + 1e-12));
        },
      ),
    );
  });
  it('vectorised rate equals the scalar rate element by element', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          maxLength: 50,
        }),
        bwArb,
        fc.double({ min: 1e-15, max: 1, noNaN: true }),
        (pairs, b, noise) => {
          const p = Float64Array.from(pairs, (x) => x[0]);
          const g = Float64Array.from(pairs, (x) => x[1]);
          const out = shannonRateInto(new Float64Array(pairs.length), b, p, g, noise);
          for (let i = 0; i < pairs.length; i++)
            expect(rel(out[i] as number, shannonRate(b, snr(p[i] as number, g[i] as number, noise)))).toBe(true);
        },
      ),
    );
  });
  it('OFDM per-user rates sum the rates of owned subcarriers and ignore idle ones', () => {
    const out = ofdmUserRatesInto(new Float64Array(2), 15e3, [0, 1, 0, -1], [1, 3, 7, 100]);
    expect(out[0]).toBeCloseTo(15e3 * (1 + 3), 6);
    expect(out[1]).toBeCloseTo(15e3 * 2, 6);
  });
});

describe('SINR and jamming', () => {
  const powers = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });
  it('SINR <= SNR', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-15, max: 1, noNaN: true }),
        powers,
        (s, n, i) => {
          expect(sinr(s, n, i)).toBeLessThanOrEqual(sinr(s, n));
        },
      ),
    );
  });
  it('SINR is non-increasing in any interferer power', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-15, max: 1, noNaN: true }),
        powers.filter((a) => a.length > 0),
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (s, n, i, k, extra) => {
          const j = k % i.length;
          const more = [...i];
          more[j] = (more[j] as number) + extra;
          expect(sinr(s, n, more)).toBeLessThanOrEqual(sinr(s, n, i));
        },
      ),
    );
  });
  it('jamming power is zero outside radius or on another channel, and lowers SINR inside', () => {
    const gainAt = (d: number) => 1e-3 / (d * d);
    const jammer = { powerW: 1, position: { x: 0, y: 0 }, radiusM: 1000, channel: 2 };
    expect(jammingPower(jammer, { x: 2000, y: 0 }, gainAt, 2)).toBe(0);
    expect(jammingPower(jammer, { x: 100, y: 0 }, gainAt, 1)).toBe(0);
    const ij = jammingPower(jammer, { x: 100, y: 0 }, gainAt, 2);
    expect(ij).toBeCloseTo(1e-7, 15);
    expect(sinr(1e-9, 1e-13, [ij])).toBeLessThan(sinr(1e-9, 1e-13));
    const region = { powerW: 1, position: { x: 0, y: 0 }, region: [0, 0, 10, 10] as const };
    expect(jammingPower(region, { x: 20, y: 5 }, gainAt)).toBe(0);
    expect(jammingPower(region, { x: 5, y: 5 }, gainAt)).toBeGreaterThan(0);
  });
  it('fixed-rate goodput under Rayleigh outage stays below the Shannon bound, and loss grows with jamming', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (meanSnr, th, jam) => {
          const goodput = (1 - rayleighOutageProbability(meanSnr, th)) * Math.log2(1 + th);
          expect(goodput).toBeLessThanOrEqual(Math.log2(1 + meanSnr) * (1 + 1e-12));
          const jammed = meanSnr / (1 + jam);
          expect(rayleighOutageProbability(jammed, th)).toBeGreaterThanOrEqual(rayleighOutageProbability(meanSnr, th));
        },
      ),
    );
  });
});

describe('path loss', () => {
  it('Friis received power never exceeds transmitted power (unit gains)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        freqArb,
        fc.double({ min: 1e-4, max: 1e6, noNaN: true }),
        (pt, f, d) => {
          expect(friisReceivedPower(pt, f, d)).toBeLessThanOrEqual(pt);
        },
      ),
    );
  });
  it('free-space loss rises 6.02 dB per doubling of distance or of frequency', () => {
    fc.assert(
      fc.property(freqArb, posDist, (f, d) => {
        const base = freeSpacePathLossDb(f, d);
        expect(freeSpacePathLossDb(f, 2 * d) - base).toBeCloseTo(20 * Math.log10(2), 9);
        expect(freeSpacePathLossDb(2 * f, d) - base).toBeCloseTo(6.0206, 4);
      }),
    );
  });
  it('Friis agrees with FSPL in the far field', () => {
    expect(linearToDb(1 / friisReceivedPower(1, 2.4e9, 100))).toBeCloseTo(freeSpacePathLossDb(2.4e9, 100), 9);
  });
  it('log-distance loss never decreases with distance and has slope 10·n dB per decade', () => {
    fc.assert(
      fc.property(
        posDist,
        posDist,
        fc.double({ min: 0, max: 6, noNaN: true }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 80, noNaN: true }),
        (d1, d2, n, d0, pl0) => {
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          expect(logDistancePathLossDb(lo, n, d0, pl0)).toBeLessThanOrEqual(
            logDistancePathLossDb(hi, n, d0, pl0) + 1e-9,
          );
          const d = Math.max(lo, d0);
          expect(logDistancePathLossDb(10 * d, n, d0, pl0) - logDistancePathLossDb(d, n, d0, pl0)).toBeCloseTo(
            10 * n,
            9,
          );
        },
      ),
    );
  });
  it('path loss is reciprocal: swapping transmitter and receiver changes nothing', () => {
    const coord = fc.double({ min: -1e4, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(
        coord,
        coord,
        coord,
        coord,
        fc.double({ min: 0, max: 100, noNaN: true }),
        freqArb,
        (ax, ay, bx, by, hz, f) => {
          fc.pre(Math.hypot(ax - bx, ay - by) > 1e-3);
          const a = { x: ax, y: ay, z: hz };
          const b = { x: bx, y: by, z: 0 };
          expect(distance3d(a, b)).toBe(distance3d(b, a));
          expect(freeSpacePathLossDb(f, distance3d(a, b))).toBe(freeSpacePathLossDb(f, distance3d(b, a)));
          expect(dirsChannelGain(1e-3, 1, ax - bx, ay - by)).toBe(dirsChannelGain(1e-3, 1, bx - ax, by - ay));
        },
      ),
    );
  });
  it('DIRS gain is β0·l/d² (seed 004 Eq. 3)', () => {
    expect(dirsChannelGain(1e-3, 2, 3, 4)).toBeCloseTo((1e-3 * 2) / 25, 18);
  });
});

describe('noise, shadowing and fading draws', () => {
  it('thermal noise rises 10 dB per decade of bandwidth and by exactly the noise figure', () => {
    fc.assert(
      fc.property(bwArb, fc.double({ min: 0, max: 20, noNaN: true }), (b, nf) => {
        expect(thermalNoiseDbm(10 * b, nf) - thermalNoiseDbm(b, nf)).toBeCloseTo(10, 9);
        expect(thermalNoiseDbm(b, nf) - thermalNoiseDbm(b)).toBeCloseTo(nf, 9);
      }),
    );
  });
  it('fill forms draw the same values as the scalar forms from the same stream', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e6 }), fc.double({ min: 0, max: 30, noNaN: true }), (seed, k) => {
        const a = fillRicianPowerGain(createRng(seed), k, new Float64Array(16));
        const rng = createRng(seed);
        for (let i = 0; i < 16; i++) expect(a[i]).toBe(ricianPowerGain(rng, k));
        const b = fillRayleighPowerGain(createRng(seed), new Float32Array(16));
        const rng2 = createRng(seed);
        for (let i = 0; i < 16; i++) expect(b[i]).toBe(Math.fround(rayleighPowerGain(rng2)));
      }),
      { numRuns: 30 },
    );
  });
  it('log-normal shadowing has mean 0 dB and the requested spread', () => {
    const rng = createRng(9);
    const xs = Array.from({ length: 20000 }, () => shadowingDb(rng, 8));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.2);
    expect(sd).toBeGreaterThan(7.8);
    expect(sd).toBeLessThan(8.2);
    expect(shadowingDb(rng, 0)).toBe(0);
  });
});
