import { describe, expect, it } from 'vitest';
import { CartPoleEnv, checkEnv, makeCartPole, RecordEpisodeStatistics } from '../src/index.js';

describe('CartPole', () => {
  it('passes checkEnv, bare and under the 500-step TimeLimit', () => {
    expect(() => checkEnv(new CartPoleEnv(), { steps: 50 })).not.toThrow();
    expect(() => checkEnv(makeCartPole(), { seed: 3, steps: 50 })).not.toThrow();
  });

  it('resets uniformly in ±0.05 and is reproducible under a seed', () => {
    const env = new CartPoleEnv();
    const a = env.reset({ seed: 42 }).observation;
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
    expect(env.reset({ seed: 42 }).observation).toEqual(a);
    expect(env.reset({ seed: 43 }).observation).not.toEqual(a);
  });

  it('one Euler step from rest matches the hand-derived Gymnasium equations', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0, options: { low: 0, high: 0 } });
    env.step(1);
    // temp = F / M = 10 / 1.1; θ̈ = -temp / (l (4/3 - m_p / M)); ẍ = temp - m_p l θ̈ / M.
    const temp = 10 / 1.1;
    const thetaAcc = -temp / (0.5 * (4 / 3 - 0.1 / 1.1));
    const xAcc = temp - (0.05 * thetaAcc) / 1.1;
    expect(Array.from(env.state)).toEqual([0, 0.02 * xAcc, 0, 0.02 * thetaAcc]);
    expect(thetaAcc).toBeCloseTo(-14.6341, 3);
    expect(xAcc).toBeCloseTo(9.7561, 3);
    // The next step moves x and θ by τ times the previous velocities (explicit Euler).
    env.step(0);
    const s = env.state;
    expect(s[0]).toBeCloseTo(0.02 * 0.02 * xAcc, 12);
    expect(s[2]).toBeCloseTo(0.02 * 0.02 * thetaAcc, 12);
  });

  it('terminates when the pole passes 12 degrees, rewarding every step including the last', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 1 });
    let steps = 0;
    let ret = 0;
    let last = env.step(1);
    for (steps = 1, ret = last.reward; !last.terminated; steps++) {
      last = env.step(1);
      ret += last.reward;
    }
    expect(ret).toBe(steps);
    expect(steps).toBeGreaterThan(5);
    expect(steps).toBeLessThan(30);
    expect(Math.abs(env.state[2] as number)).toBeGreaterThan((12 * Math.PI) / 180);
    expect(() => env.step(0)).toThrow(expect.objectContaining({ code: 'ENV_NOT_RESET' }));
  });

  it('a balancing controller is truncated at 500 steps by TimeLimit, never terminated', () => {
    const env = new RecordEpisodeStatistics(makeCartPole());
    let obs = env.reset({ seed: 7 }).observation;
    for (;;) {
      const [x, xDot, theta, thetaDot] = obs as unknown as number[];
      const u = 10 * (theta as number) + 2 * (thetaDot as number) + 0.1 * (x as number) + 0.2 * (xDot as number);
      const r = env.step(u > 0 ? 1 : 0);
      obs = r.observation;
      expect(r.terminated).toBe(false);
      if (r.truncated) {
        expect(r.info.episode).toMatchObject({ r: 500, l: 500 });
        break;
      }
    }
  });

  it('rejects invalid actions', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    expect(() => env.step(2)).toThrow(expect.objectContaining({ code: 'ENV_INVALID_ACTION' }));
  });
});
