import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { angleNormalize, checkEnv, makePendulum, PendulumEnv } from '../src/index.js';

describe('Pendulum', () => {
  it('passes checkEnv, bare and under the 200-step TimeLimit', () => {
    expect(() => checkEnv(new PendulumEnv(), { steps: 30 })).not.toThrow();
    expect(() => checkEnv(makePendulum(), { seed: 2, steps: 30 })).not.toThrow();
  });

  it('one step matches the hand-derived Gymnasium update and cost', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 0, options: { xInit: 0, yInit: 0 } });
    // From upright (θ = 0 in Gymnasium's convention) at rest, with u = 2:
    // θ̇' = (3g/2l sin 0 + 3/(ml²)·2)·0.05 = 0.3, θ' = 0.3·0.05 = 0.015, cost = 0.001·4.
    const r = env.step(new Float32Array([2]));
    expect(r.reward).toBeCloseTo(-0.004, 12);
    expect(env.state[1]).toBeCloseTo(0.3, 12);
    expect(env.state[0]).toBeCloseTo(0.015, 12);
    // Torque beyond ±2 is clipped before it enters the dynamics and the cost.
    const a = new PendulumEnv();
    a.reset({ seed: 0, options: { xInit: 0, yInit: 0 } });
    expect(a.step(new Float32Array([50])).reward).toBeCloseTo(-0.004, 12);
  });

  it('rewards lie in [-(π² + 6.4 + 0.004), 0] and θ̇ stays within ±8', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (seed, torques) => {
          const env = new PendulumEnv();
          env.reset({ seed });
          for (const u of torques) {
            const r = env.step(new Float32Array([u]));
            expect(r.reward).toBeLessThanOrEqual(0);
            expect(r.reward).toBeGreaterThanOrEqual(-(Math.PI ** 2 + 6.4 + 0.004));
            expect(env.observationSpace.contains(r.observation)).toBe(true);
          }
        },
      ),
      { seed: 21, numRuns: 100 },
    );
  });

  it('angleNormalize maps into [-π, π) with a floored modulo, also for negative angles', () => {
    expect(angleNormalize(0)).toBe(0);
    expect(angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(-3 * Math.PI + 0.1)).toBeCloseTo(-Math.PI + 0.1, 12);
    expect(angleNormalize(2 * Math.PI + 0.5)).toBeCloseTo(0.5, 12);
    expect(angleNormalize(-0.5)).toBeCloseTo(-0.5, 12);
  });

  it('truncates at 200 steps and never terminates', () => {
    const env = makePendulum();
    env.reset({ seed: 1 });
    for (let i = 1; i <= 200; i++) {
      const r = env.step(new Float32Array([0]));
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(i === 200);
    }
  });
});
