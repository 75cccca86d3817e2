import { describe, expect, it } from 'vitest';
import { scenario, staticMesh, uniformActions } from './helpers.js';

describe('scenario playback', () => {
  it('jammer-on raises jamming on its channel inside its radius only, jammer-off clears it', () => {
    const env = staticMesh([500, 250, 4000, 250], { channels: 2 });
    env.reset({
      seed: 1,
      options: {
        positions: [500, 250, 4000, 250],
        scenario: scenario([
          { kind: 'jammer-on', t: 2, jammer: 7, position: { x: 600, y: 300 }, radius_m: 1000, power_W: 1, channel: 1 },
          { kind: 'jammer-off', t: 4, jammer: 7 },
        ]),
      },
    });
    const s = env.view;
    const act = uniformActions(env);
    env.step(act);
    expect(s.jamW[0 * 2 + 1]).toBe(0);
    env.step(act);
    expect(env.jammers.size).toBe(1);
    expect(s.jamW[0 * 2 + 1]).toBeGreaterThan(env.radio.noiseW);
    expect(s.jamW[0 * 2 + 0]).toBe(0); // other channel
    expect(s.jamW[1 * 2 + 1]).toBe(0); // outside the radius
    expect(s.jamW[s.gw * 2 + 1]).toBeGreaterThan(0); // the gateway at (0, 250) is 602 m away
    expect(env.metrics?.jammedNodes).toBe(1);
    env.step(act);
    env.step(act);
    expect(env.jammers.size).toBe(0);
    expect(s.jamW.every((v) => v === 0)).toBe(true);
  });

  it('a traffic surge multiplies the load inside its region for its duration', () => {
    const env = staticMesh([500, 250, 4000, 250]);
    env.reset({
      seed: 1,
      options: {
        positions: [500, 250, 4000, 250],
        scenario: scenario([
          {
            kind: 'traffic-surge',
            t: 1,
            region: { center: { x: 4000, y: 300 }, radius_m: 500 },
            factor: 3,
            duration_s: 2,
          },
          { kind: 'traffic-surge', t: 1, factor: 2, duration_s: 1 },
        ]),
      },
    });
    const act = uniformActions(env);
    expect(Array.from(env.view.loadFactor)).toEqual([1, 1]);
    env.step(act);
    expect(Array.from(env.view.loadFactor)).toEqual([2, 6]);
    env.step(act);
    expect(Array.from(env.view.loadFactor)).toEqual([1, 3]);
    env.step(act);
    expect(Array.from(env.view.loadFactor)).toEqual([1, 1]);
  });

  it('link-degrade attenuates one link both ways by loss_dB for its duration', () => {
    const env = staticMesh([500, 250, 1500, 250]);
    env.reset({
      seed: 1,
      options: {
        positions: [500, 250, 1500, 250],
        scenario: scenario([{ kind: 'link-degrade', t: 1, from: 0, to: 2, loss_dB: 10, duration_s: 2 }]),
      },
    });
    const s = env.view;
    const g0 = s.gain[0 * 3 + 2] as number;
    const other = s.gain[1 * 3 + 2] as number;
    env.step(uniformActions(env));
    expect((s.gain[0 * 3 + 2] as number) / g0).toBeCloseTo(0.1, 12);
    expect((s.gain[2 * 3 + 0] as number) / g0).toBeCloseTo(0.1, 12);
    expect(s.gain[1 * 3 + 2]).toBe(other);
    env.step(uniformActions(env));
    env.step(uniformActions(env));
    expect(s.gain[0 * 3 + 2]).toBe(g0);
  });

  it('scenario params set the layout and the offered load, independently of the reset seed', () => {
    const env = staticMesh([500, 250, 1500, 250]);
    const sc = scenario([], { layoutSeed: 42, offeredLoad_Mbps: 1.5 });
    const a = new Float64Array(2);
    env.reset({ seed: 1, options: { scenario: sc } });
    a.set(env.view.posX.subarray(0, 2));
    expect(env.offeredLoad_Mbps).toBe(1.5);
    env.reset({ seed: 99, options: { scenario: sc } });
    expect(Array.from(env.view.posX.subarray(0, 2))).toEqual(Array.from(a));
    env.reset({ seed: 99 });
    expect(env.offeredLoad_Mbps).toBe(env.config.offeredLoad_Mbps);
  });
});
