import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Box,
  Dict,
  Discrete,
  flatdim,
  flatten,
  MultiBinary,
  MultiDiscrete,
  spaceFromJSON,
  Tuple,
  unflatten,
} from '../src/index.js';
import { spaceArb } from './arbitraries.js';

const seedArb = fc.integer({ min: 0, max: 2 ** 31 });

describe('space properties', () => {
  it('samples lie in their space', () => {
    fc.assert(
      fc.property(spaceArb, seedArb, (space, seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 5; i++) expect(space.contains(space.sample(rng))).toBe(true);
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it('unflatten(flatten(x)) equals x and the flat vector has flatdim entries', () => {
    fc.assert(
      fc.property(spaceArb, seedArb, (space, seed) => {
        const x = space.sample(createRng(seed));
        const flat = flatten(space, x);
        expect(flat.length).toBe(flatdim(space));
        expect(unflatten(space, flat)).toEqual(x);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('spaceFromJSON(s.toJSON()) serialises, samples and judges membership like s', () => {
    fc.assert(
      fc.property(spaceArb, seedArb, (space, seed) => {
        const json = JSON.parse(JSON.stringify(space.toJSON()));
        const copy = spaceFromJSON(json);
        expect(copy.toJSON()).toEqual(space.toJSON());
        expect(copy.flatdim).toBe(space.flatdim);
        const a = space.sample(createRng(seed));
        const b = copy.sample(createRng(seed));
        expect(b).toEqual(a);
        expect(copy.contains(a)).toBe(true);
        const other = space.sample(createRng(seed + 1));
        expect(copy.contains(other)).toBe(space.contains(other));
      }),
      { seed: 6, numRuns: 300 },
    );
  });
});

describe('Box', () => {
  it('serialises like core ToyBox (scalar bounds, float32) and writes infinities as strings', () => {
    expect(new Box(-1, 1, { shape: [2, 3] }).toJSON()).toEqual({
      type: 'Box',
      shape: [2, 3],
      low: -1,
      high: 1,
      dtype: 'float32',
    });
    const json = new Box([0, -Infinity], [Infinity, 2]).toJSON();
    expect(json).toEqual({ type: 'Box', shape: [2], low: [0, '-inf'], high: ['inf', 2], dtype: 'float32' });
  });

  it('rejects wrong shape, wrong dtype, NaN and out-of-bound values', () => {
    const box = new Box(-1, 1, { shape: [3] });
    expect(box.contains(new Float32Array([0, 0, 0]))).toBe(true);
    expect(box.contains(new Float32Array([0, 0]))).toBe(false);
    expect(box.contains(new Float64Array([0, 0, 0]))).toBe(false);
    expect(box.contains([0, 0, 0])).toBe(false);
    expect(box.contains(new Float32Array([0, Number.NaN, 0]))).toBe(false);
    expect(box.contains(new Float32Array([0, 1.5, 0]))).toBe(false);
  });

  it('samples half-bounded dims as exponential shifts and unbounded dims as normal', () => {
    const box = new Box([2, -Infinity, -Infinity], [Infinity, -3, Infinity]);
    const rng = createRng(1);
    const n = 20_000;
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const x = box.sample(rng);
      for (let d = 0; d < 3; d++) {
        sum[d] = (sum[d] as number) + (x[d] as number);
        sq[d] = (sq[d] as number) + (x[d] as number) ** 2;
      }
    }
    const mean = sum.map((s) => s / n);
    expect(mean[0]).toBeCloseTo(3, 1); // 2 + Exp(1)
    expect(mean[1]).toBeCloseTo(-4, 1); // -3 - Exp(1)
    expect(mean[2]).toBeCloseTo(0, 1);
    expect((sq[2] as number) / n).toBeCloseTo(1, 1);
  });

  it('rejects invalid bounds and shapes with INVALID_ARGUMENT', () => {
    expect(() => new Box(1, 0, { shape: [1] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new Box(0, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new Box([0, 0], [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new Box(Number.NaN, 1, { shape: [1] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('discrete spaces', () => {
  it('Discrete serialises like core ToyDiscrete and honours start', () => {
    expect(new Discrete(4).toJSON()).toEqual({ type: 'Discrete', n: 4, start: 0 });
    const d = new Discrete(3, -1);
    expect([-2, -1, 0, 1, 2, 0.5, '0'].map((v) => d.contains(v))).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(Array.from(flatten(d, 0))).toEqual([0, 1, 0]);
  });

  it('Discrete samples every value with about equal frequency', () => {
    const d = new Discrete(4, 10);
    const rng = createRng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[d.sample(rng) - 10]! += 1;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('Discrete samples only allowed values under a mask, each about equally often', () => {
    const d = new Discrete(5, 1);
    const mask = new Int8Array([0, 1, 0, 1, 1]);
    const rng = createRng(8);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const v = d.sample(rng, mask);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 4, 5]);
    for (const c of counts.values()) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(() => d.sample(rng, new Int8Array(5))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => d.sample(rng, new Int8Array(4))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('MultiDiscrete and MultiBinary flatten to one-hot segments and raw bits', () => {
    const md = new MultiDiscrete([2, 3]);
    expect(Array.from(flatten(md, new Int32Array([1, 2])))).toEqual([0, 1, 0, 0, 1]);
    expect(md.contains(new Int32Array([2, 0]))).toBe(false);
    expect(md.contains([1, 2])).toBe(false);
    const mb = new MultiBinary(3);
    expect(Array.from(flatten(mb, new Int8Array([1, 0, 1])))).toEqual([1, 0, 1]);
    expect(mb.contains(new Int8Array([1, 2, 0]))).toBe(false);
  });

  it('unflatten rejects a segment that is not one-hot', () => {
    expect(() => unflatten(new Discrete(3), new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => unflatten(new Discrete(3), new Float32Array([1, 1, 0]))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('composite spaces', () => {
  it('Dict orders keys, checks exact key sets, and flattens in sorted key order', () => {
    const d = new Dict({ b: new Discrete(2), a: new Box(0, 1, { shape: [1] }) });
    expect(d.keys).toEqual(['a', 'b']);
    const x = { a: new Float32Array([0.5]), b: 1 };
    expect(d.contains(x)).toBe(true);
    expect(d.contains({ ...x, c: 0 })).toBe(false);
    expect(d.contains({ a: x.a })).toBe(false);
    expect(Array.from(flatten(d, x))).toEqual([0.5, 0, 1]);
  });

  it('Tuple checks length and each entry', () => {
    const t = new Tuple([new Discrete(2), new MultiBinary(2)] as const);
    expect(t.contains([1, new Int8Array([0, 1])])).toBe(true);
    expect(t.contains([1])).toBe(false);
    expect(t.contains([2, new Int8Array([0, 1])])).toBe(false);
    expect(t.flatdim).toBe(4);
  });

  it('spaceFromJSON names the bad field', () => {
    expect(() => spaceFromJSON({ type: 'Dict', spaces: { x: { type: 'Nope' } } })).toThrow(/space\.spaces\.x\.type/);
    expect(() => spaceFromJSON({ type: 'Box', shape: 'x', low: 0, high: 1 })).toThrow(/space\.shape/);
  });
});
