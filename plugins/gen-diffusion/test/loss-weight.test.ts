import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossWeights } from '../src/diffusion/loss-weight.js';
import { TimestepSampler } from '../src/diffusion/timestep-sampler.js';
import { cosineSchedule } from '../src/index.js';

const schedule = cosineSchedule(300);

describe('timestep distribution', () => {
  it('uniform: 1/T each', () => {
    const p = new TimestepSampler(schedule, 'uniform').probabilities();
    expect(p.length).toBe(300);
    for (const v of p) expect(v).toBeCloseTo(1 / 300, 12);
  });
  it('lognormal: the probabilities are those of draw() (total variation < 0.015 over 400k draws; sampling noise alone is ~0.01)', () => {
    const sampler = new TimestepSampler(schedule, 'lognormal');
    const p = sampler.probabilities();
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const counts = new Float64Array(300);
    const rng = createRng(3);
    const n = 400_000;
    for (let k = 0; k < n; k++) {
      const t = sampler.draw(rng);
      counts[t] = (counts[t] as number) + 1;
    }
    let tv = 0;
    for (let t = 0; t < 300; t++) tv += Math.abs((counts[t] as number) / n - (p[t] as number));
    expect(tv / 2).toBeLessThan(0.015);
  });
});

describe('loss weights', () => {
  it("'epsilon' weighs every timestep 1 (DDPM's L_simple)", () => {
    const probs = new TimestepSampler(schedule, 'lognormal').probabilities();
    for (const w of lossWeights(schedule, 'epsilon', 0.3, probs)) expect(w).toBeCloseTo(1, 12);
  });
  it("'edm' makes the weighted ε-MSE a constant multiple of the MSE on the network output (w·c_out² constant) and has mean 1", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 2, noNaN: true }), fc.constantFrom('uniform', 'lognormal'), (s, mode) => {
        const probs = new TimestepSampler(schedule, mode as 'uniform' | 'lognormal').probabilities();
        const w = lossWeights(schedule, 'edm', s, probs);
        let mean = 0;
        for (let t = 0; t < 300; t++) mean += (probs[t] as number) * (w[t] as number);
        expect(mean).toBeCloseTo(1, 9);
        const cOut2 = (t: number) => {
          const ab = schedule.alphaBars[t] as number;
          return (ab * s * s) / (ab * s * s + 1 - ab);
        };
        const k = (w[0] as number) * cOut2(0);
        for (const t of [1, 50, 150, 299]) expect(((w[t] as number) * cOut2(t)) / k).toBeCloseTo(1, 6);
      }),
      { numRuns: 30 },
    );
  });
});
