import { isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dihedralPermutations } from '../src/diffusion/augment.js';
import {
  conditionValues,
  cosineSchedule,
  ddimTimesteps,
  decodeMap,
  diffusionModelConfigSchema,
  encodeConditions,
  encodeMap,
  upsampleNearest,
} from '../src/index.js';

describe('cosine noise schedule', () => {
  it('ends in (numerically) pure noise for every T the issue allows: ᾱ_T < 1e-3', () => {
    for (const T of [200, 300, 400]) {
      const s = cosineSchedule(T);
      expect(s.alphaBars[T - 1]).toBeLessThan(1e-3);
      expect(s.alphaBars[0]).toBeGreaterThan(0.999);
      for (let t = 1; t < T; t++) expect(s.alphaBars[t]).toBeLessThan(s.alphaBars[t - 1] as number);
      for (const b of s.betas) expect(b).toBeLessThanOrEqual(0.999);
    }
  });
  it('ᾱ follows cos²((t/T + s)/(1 + s)·π/2) / f(0) before the β clip', () => {
    const T = 300;
    const s = cosineSchedule(T);
    const f = (t: number) => Math.cos(((t / T + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    expect(s.alphaBars[149]).toBeCloseTo(f(150) / f(0), 10);
  });
  it('snrScale k multiplies every step’s SNR ᾱ/(1 − ᾱ) by k and keeps the schedule valid (property)', () => {
    const snr = (a: number) => a / (1 - a);
    fc.assert(
      fc.property(
        fc.constantFrom(200, 300, 400),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 399 }),
        (T, k, raw) => {
          const t = raw % (T - 1); // the last step is where the β clip acts
          const plain = cosineSchedule(T);
          const shifted = cosineSchedule(T, { snrScale: k });
          expect(snr(shifted.alphaBars[t] as number) / snr(plain.alphaBars[t] as number)).toBeCloseTo(k, 6);
          expect(shifted.alphaBars[T - 1]).toBeLessThan(1e-3);
          for (let u = 1; u < T; u++) expect(shifted.alphaBars[u]).toBeLessThan(shifted.alphaBars[u - 1] as number);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('snrScale 1 is the plain schedule bit for bit, and non-positive scales are refused with a code', () => {
    expect(cosineSchedule(300, { snrScale: 1 }).alphaBars).toEqual(cosineSchedule(300).alphaBars);
    for (const k of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown;
      try {
        cosineSchedule(300, { snrScale: k });
      } catch (e) {
        caught = e;
      }
      expect(isTwinforgeError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
  it('the model config refuses T outside [200, 400]', () => {
    const base = {
      width: 4,
      height: 4,
      denoiser: { kind: 'mlp' },
      codec: { column: 'c', name: 'm', unit: 'dBm', lo: -150, hi: 0 },
    };
    expect(diffusionModelConfigSchema.safeParse({ ...base, timesteps: 100 }).success).toBe(false);
    expect(diffusionModelConfigSchema.safeParse({ ...base, timesteps: 401 }).success).toBe(false);
    expect(diffusionModelConfigSchema.parse(base).timesteps).toBe(300);
  });
});

describe('DDIM timesteps', () => {
  it('50 distinct steps from T−1 down to 0 (property over T and steps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 400 }), fc.integer({ min: 1, max: 60 }), (T, steps) => {
        fc.pre(steps <= T);
        const ts = ddimTimesteps(T, steps);
        expect(ts[0]).toBe(T - 1);
        if (steps > 1) expect(ts[ts.length - 1]).toBe(0);
        for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeLessThan(ts[i - 1] as number);
        expect(ts.length).toBeLessThanOrEqual(steps);
      }),
    );
    expect(ddimTimesteps(300, 50)).toHaveLength(50);
  });
});

describe('map codec and conditions', () => {
  const codec = { column: 'c', name: 'm', unit: 'dBm', lo: -150, hi: 0 };
  it('physical ⇄ [−1, 1] round trip (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -150, max: 0, noNaN: true }), { minLength: 1, maxLength: 20 }), (vs) => {
        const enc = new Float32Array(vs.length);
        encodeMap(codec, vs, enc);
        for (const v of enc) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-6);
        const back = decodeMap(codec, enc);
        for (const [i, v] of Array.from(vs).entries()) expect(back[i]).toBeCloseTo(v, 3);
      }),
    );
    expect(Array.from(decodeMap(codec, [-1, 1]))).toEqual([-150, 0]);
  });
  it('one-hot rows with an "unknown" slot per condition; bad condition values name the key', () => {
    const specs = [
      { name: 'jammers', column: 'jammer_count', levels: 4 },
      { name: 'loadLevel', column: 'load_level', levels: 2 },
    ];
    expect(Array.from(encodeConditions(specs, [[2, null]]))).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(conditionValues(specs, { jammers: 3 })).toEqual([3, null]);
    try {
      conditionValues(specs, { jammers: 4 });
      expect.unreachable();
    } catch (e) {
      expect(isTwinforgeError(e, 'INVALID_ARGUMENT')).toBe(true);
      expect(String(e)).toMatch(/jammers/);
    }
  });
});

describe('dihedral augmentation', () => {
  it('8 distinct bijections of the grid; four quarter turns are the identity', () => {
    const perms = dihedralPermutations(5);
    expect(new Set(perms.map((p) => Array.from(p).join(','))).size).toBe(8);
    for (const p of perms) expect(new Set(p).size).toBe(25);
    const rot = perms[1] as Int32Array;
    let idx = Int32Array.from({ length: 25 }, (_, k) => k);
    for (let i = 0; i < 4; i++) idx = Int32Array.from(idx, (_, k) => idx[rot[k] as number] as number);
    expect(Array.from(idx)).toEqual(Array.from({ length: 25 }, (_, k) => k));
  });
});

describe('nearest-neighbour upsampling', () => {
  it('every output cell is its source cell, so the value set and the mean are kept (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.float({ min: -150, max: 20, noNaN: true })),
        (w, h, f, values) => {
          const map = Float32Array.from(values.take(w * h));
          const up = upsampleNearest(map, w, h, f);
          expect(up.length).toBe(w * h * f * f);
          for (let r = 0; r < h * f; r++) {
            for (let c = 0; c < w * f; c++) {
              expect(up[r * w * f + c]).toBe(map[Math.floor(r / f) * w + Math.floor(c / f)]);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
    expect(Array.from(upsampleNearest(Float32Array.of(1, 2, 3, 4), 2, 2, 1))).toEqual([1, 2, 3, 4]);
  });
  it('refuses a non-integer factor and a map of the wrong size', () => {
    expect(() => upsampleNearest(new Float32Array(4), 2, 2, 1.5)).toThrow(/integer/);
    expect(() => upsampleNearest(new Float32Array(5), 2, 2, 2)).toThrow(/5 values/);
  });
});
