import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, isTwinforgeError, Rng } from '../src/index.js';

const seedArb = fc.integer({ min: 0, max: 2 ** 40 });

describe('createRng', () => {
  it('gives identical sequences for identical seeds', () => {
    fc.assert(
      fc.property(seedArb, fc.string({ minLength: 1, maxLength: 12 }), (seed, name) => {
        const a = createRng(seed).split(name);
        const b = createRng(seed).split(name);
        for (let i = 0; i < 50; i++) {
          expect(a.uniform()).toBe(b.uniform());
          expect(a.normal()).toBe(b.normal());
          expect(a.int(-5, 5)).toBe(b.int(-5, 5));
        }
      }),
    );
  });

  it('pins the first values of seed 42 so a change of algorithm cannot slip through', () => {
    const rng = createRng(42);
    const values = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    expect(values).toMatchInlineSnapshot(`
      [
        259433817,
        2755403134,
        3868763130,
      ]
    `);
  });

  it('split does not depend on how much the parent was consumed', () => {
    const parent = createRng(7);
    const before = parent.split('env').uniform();
    for (let i = 0; i < 100; i++) parent.uniform();
    expect(parent.split('env').uniform()).toBe(before);
    expect(createRng(7).split('a').split('b').uniform()).toBe(createRng(7).split('a/b').uniform());
  });

  it('gives uncorrelated streams for different split names', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (seed, x, y) => {
          fc.pre(x !== y);
          const root = createRng(seed);
          const a = root.split(x);
          const b = root.split(y);
          const n = 4000;
          const xs = new Float64Array(n);
          const ys = new Float64Array(n);
          a.fillUniform(xs);
          b.fillUniform(ys);
          // Pearson correlation of independent uniforms has sd 1/sqrt(n) ≈ 0.016: |r| < 0.08 is a 5-sigma bound.
          expect(Math.abs(pearson(xs, ys))).toBeLessThan(0.08);
          // And the streams are not shifted copies of each other.
          expect(xs.slice(1, 20)).not.toEqual(ys.slice(0, 19));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('produces uniform values with the right moments and a normal with mean 0, sd 1', () => {
    const rng = createRng(3);
    const n = 20000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 1);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sn2 / n)).toBeCloseTo(1, 1);
  });

  it('int stays in bounds and choice / shuffle / weightedIndex behave', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (seed, lo, span) => {
          const v = createRng(seed).int(lo, lo + span);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + span);
        },
      ),
    );
    const rng = createRng(11);
    const items = [1, 2, 3, 4, 5, 6];
    expect([...rng.shuffle(items)].sort()).toEqual(items);
    expect(items).toContain(rng.choice(items));
    expect([...rng.permutation(10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[rng.weightedIndex([1, 0, 2])]++;
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / 9000).toBeCloseTo(2 / 3, 1);
  });

  it('round-trips its state for checkpoints', () => {
    const rng = createRng(5).split('x');
    rng.uniform();
    const copy = Rng.fromState(JSON.parse(JSON.stringify(rng.getState())));
    expect(copy.uniform()).toBe(rng.uniform());
    expect(rng.clone().normal()).toBe(rng.normal());
  });

  it('rejects bad seeds and arguments with codes', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      let caught: unknown;
      try {
        createRng(bad);
      } catch (error) {
        caught = error;
      }
      expect(isTwinforgeError(caught, 'RNG_INVALID_SEED')).toBe(true);
    }
    expect(() => createRng(1).int(3, 2)).toThrow(/min <= max/);
    expect(() => createRng(1).choice([])).toThrow(/non-empty/);
    expect(() => createRng(1).split('')).toThrow(/non-empty name/);
  });
});

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
