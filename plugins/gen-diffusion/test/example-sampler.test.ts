import { createRng } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { ExampleSampler } from '../src/diffusion/example-sampler.js';

const specs = [
  { name: 'jammers', column: 'jammer_count', levels: 4 },
  { name: 'load', column: 'load_level', levels: 2 },
];
// 60 % jammer-free maps, then 25 / 10 / 5 %; one map with the jammer count unknown.
const conditions = [
  ...Array.from({ length: 600 }, (_, i) => [0, i % 2]),
  ...Array.from({ length: 250 }, (_, i) => [1, i % 2]),
  ...Array.from({ length: 100 }, (_, i) => [2, i % 2]),
  ...Array.from({ length: 50 }, (_, i) => [3, i % 2]),
  [null, 0],
];

function counts(sampler: ExampleSampler, draws: number): Map<number | null, number> {
  const rng = createRng(4);
  const out = new Map<number | null, number>();
  for (let k = 0; k < draws; k++) {
    const v = conditions[sampler.draw(rng)]?.[0] ?? null;
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

describe('ExampleSampler', () => {
  it('without a balance (or power 0) draws exactly as the uniform draw does', () => {
    for (const s of [
      new ExampleSampler(conditions, specs),
      new ExampleSampler(conditions, specs, { condition: 'jammers', power: 0 }),
    ]) {
      const a = createRng(1);
      const b = createRng(1);
      for (let k = 0; k < 100; k++) expect(s.draw(a)).toBe(b.int(0, conditions.length - 1));
    }
  });

  it('power 1 draws every value of the condition equally often; power 0.5 in between', () => {
    const full = new ExampleSampler(conditions, specs, { condition: 'jammers', power: 1 });
    expect(full.groupShares().sizes).toEqual([1, 600, 250, 100, 50]);
    for (const share of full.groupShares().shares) expect(share).toBeCloseTo(0.2, 12);
    const c = counts(full, 50_000);
    for (const v of [null, 0, 1, 2, 3]) expect((c.get(v) ?? 0) / 50_000).toBeCloseTo(0.2, 1);
    const half = new ExampleSampler(conditions, specs, { condition: 'jammers', power: 0.5 });
    const shares = half.groupShares().shares;
    expect(shares[1]).toBeLessThan(0.6);
    expect(shares[1]).toBeGreaterThan(0.2);
    expect(shares[4]).toBeGreaterThan(0.05);
    expect(shares[4]).toBeLessThan(0.2);
  });

  it('names the conditions when the balanced one is unknown', () => {
    expect(() => new ExampleSampler(conditions, specs, { condition: 'jamers', power: 1 })).toThrow(
      /balance.condition 'jamers' is not one of the model's conditions \(jammers, load\)/,
    );
  });
});
