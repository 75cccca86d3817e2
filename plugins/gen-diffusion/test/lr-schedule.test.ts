import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../src/diffusion/lr-schedule.js';

describe('learning-rate schedule', () => {
  const configArb = fc.record({
    lr: fc.double({ min: 1e-5, max: 1e-1, noNaN: true }),
    finalLrFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    warmupSteps: fc.integer({ min: 0, max: 500 }),
  });

  it('ramps up over the warm-up, then decays linearly to lr·finalLrFraction, never above lr', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 2, max: 5000 }), (config, steps) => {
        const lrs = Array.from({ length: steps }, (_, s) => learningRateAt(config, s, steps));
        for (const v of lrs) expect(v).toBeLessThanOrEqual(config.lr * (1 + 1e-12));
        const decayOnly = (s: number) => config.lr * (1 - (1 - config.finalLrFraction) * (s / (steps - 1)));
        for (let s = Math.max(0, config.warmupSteps - 1); s < steps; s++) {
          expect(lrs[s]).toBeCloseTo(decayOnly(s), 12);
        }
        // Rising through the warm-up when it takes at most half the run (longer ones meet the decay's fall).
        for (let s = 1; 2 * config.warmupSteps <= steps && s < config.warmupSteps; s++) {
          expect(lrs[s]).toBeGreaterThanOrEqual((lrs[s - 1] as number) * (1 - 1e-12));
        }
        if (config.warmupSteps > 1) expect(lrs[0]).toBeCloseTo(decayOnly(0) / config.warmupSteps, 12);
      }),
    );
  });
});
