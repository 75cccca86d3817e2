import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NStepAccumulator } from '../src/index.js';

describe('NStepAccumulator', () => {
  it('emits exactly one n-step transition per step, matching a brute-force computation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 0.5, 0.9, 1),
        fc.array(
          fc.tuple(fc.integer({ min: -5, max: 5 }), fc.constantFrom('none', 'none', 'none', 'terminated', 'truncated')),
          { minLength: 1, maxLength: 40 },
        ),
        (n, gamma, steps) => {
          // Force the last step to end the episode so every start is flushed.
          steps[steps.length - 1]![1] =
            steps[steps.length - 1]![1] === 'none' ? 'terminated' : steps[steps.length - 1]![1];
          const acc = new NStepAccumulator<number, number>(n, gamma);
          const got: ReturnType<typeof acc.push> = [];
          steps.forEach(([r, end], t) => {
            got.push(
              ...acc.push({
                observation: t,
                action: t,
                reward: r,
                nextObservation: t + 1,
                terminated: end === 'terminated',
                truncated: end === 'truncated',
              }),
            );
          });
          expect(got.map((g) => g.observation)).toEqual(steps.map((_, t) => t));
          expect(acc.pending).toBe(0);
          for (const g of got) {
            const t = g.observation;
            // Brute force: sum until n rewards or the episode's end, whichever first.
            let end = t;
            while (end - t + 1 < n && steps[end]![1] === 'none') end++;
            let ret = 0;
            for (let k = t; k <= end; k++) ret += gamma ** (k - t) * steps[k]![0];
            expect(g.reward).toBeCloseTo(ret, 10);
            expect(g.steps).toBe(end - t + 1);
            expect(g.discount).toBeCloseTo(gamma ** (end - t + 1), 12);
            expect(g.nextObservation).toBe(end + 1);
            expect(g.terminated).toBe(steps[end]![1] === 'terminated');
          }
        },
      ),
      { seed: 31, numRuns: 300 },
    );
  });

  it('rejects n < 1 and gamma outside [0, 1]', () => {
    expect(() => new NStepAccumulator(0, 0.9)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new NStepAccumulator(3, 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
