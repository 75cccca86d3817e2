import { describe, expect, it } from 'vitest';
import { type AutoresetMode, CartPoleEnv, makeCartPole, SyncVectorEnv } from '../src/index.js';

const N = 3;
/** Env i pushes one way for i+1 steps then the other, so episodes end at different steps. */
const policy = (t: number, i: number) => (Math.floor(t / (i + 2)) % 2 === 0 ? 1 : 0);

function make(mode: AutoresetMode) {
  return new SyncVectorEnv(
    Array.from({ length: N }, () => () => makeCartPole(15)),
    { autoresetMode: mode },
  );
}

describe('SyncVectorEnv', () => {
  it('seeds sub-environment i with seed + i', () => {
    const vec = make('next-step');
    const { observations } = vec.reset({ seed: 10 });
    for (let i = 0; i < N; i++) {
      const ref = new CartPoleEnv().reset({ seed: 10 + i }).observation;
      expect(observations.subarray(4 * i, 4 * i + 4)).toEqual(ref);
    }
  });

  it('next-step: the step after an episode ends returns the reset observation, reward 0 and no flags', () => {
    const vec = make('next-step');
    vec.reset({ seed: 1 });
    const refs = Array.from({ length: N }, (_, i) => {
      const e = makeCartPole(15);
      e.reset({ seed: 1 + i });
      return e;
    });
    const pendingReset = [false, false, false];
    let sawReset = 0;
    for (let t = 0; t < 60; t++) {
      const actions = Array.from({ length: N }, (_, i) => policy(t, i));
      const r = vec.step(actions);
      for (let i = 0; i < N; i++) {
        const ref = refs[i]!;
        if (pendingReset[i]) {
          expect(r.observations.subarray(4 * i, 4 * i + 4)).toEqual(ref.reset().observation);
          expect([r.rewards[i], r.terminations[i], r.truncations[i]]).toEqual([0, 0, 0]);
          pendingReset[i] = false;
          sawReset++;
          continue;
        }
        const s = ref.step(actions[i]!);
        expect(r.observations.subarray(4 * i, 4 * i + 4)).toEqual(s.observation);
        expect([r.rewards[i], r.terminations[i], r.truncations[i]]).toEqual([
          s.reward,
          s.terminated ? 1 : 0,
          s.truncated ? 1 : 0,
        ]);
        pendingReset[i] = s.terminated || s.truncated;
      }
    }
    expect(sawReset).toBeGreaterThan(N);
  });

  it('same-step: an ending step returns the reset observation and keeps the terminal one in info', () => {
    const vec = make('same-step');
    vec.reset({ seed: 4 });
    const refs = Array.from({ length: N }, (_, i) => {
      const e = makeCartPole(15);
      e.reset({ seed: 4 + i });
      return e;
    });
    let ends = 0;
    for (let t = 0; t < 60; t++) {
      const actions = Array.from({ length: N }, (_, i) => policy(t, i));
      const r = vec.step(actions);
      for (let i = 0; i < N; i++) {
        const s = refs[i]!.step(actions[i]!);
        expect(r.rewards[i]).toBe(s.reward);
        if (s.terminated || s.truncated) {
          ends++;
          expect(r.infos[i]!.finalObservation).toEqual(s.observation);
          expect(r.observations.subarray(4 * i, 4 * i + 4)).toEqual(refs[i]!.reset().observation);
        } else {
          expect(r.observations.subarray(4 * i, 4 * i + 4)).toEqual(s.observation);
        }
      }
    }
    expect(ends).toBeGreaterThan(N);
  });

  it('disabled: stepping an ended sub-environment fails until it is reset with a mask', () => {
    const vec = make('disabled');
    vec.reset({ seed: 0 });
    const ended = [false, false, false];
    for (let t = 0; !ended[0]; t++) {
      const r = vec.step(ended.map((_, i) => policy(t, i)));
      for (let i = 0; i < N; i++) ended[i] = ended[i] || r.terminations[i] === 1 || r.truncations[i] === 1;
      if (ended[1] && !ended[0]) {
        // keep env 1 from being stepped again: reset it right away, checking the mask leaves the others alone
        const partial = vec.reset({ options: { resetMask: [false, true, false] } });
        expect(partial.observations.subarray(0, 4).every((v) => v === 0)).toBe(true);
        expect(partial.observations.subarray(8, 12).every((v) => v === 0)).toBe(true);
        expect(partial.observations.subarray(4, 8).some((v) => v !== 0)).toBe(true);
        ended[1] = false;
      }
      if (ended[2] && !ended[0]) {
        vec.reset({ options: { resetMask: [false, false, true] } });
        ended[2] = false;
      }
    }
    expect(() => vec.step([1, 1, 1])).toThrow(expect.objectContaining({ code: 'ENV_NOT_RESET' }));
    vec.reset({ options: { resetMask: ended } });
    expect(() => vec.step([0, 0, 0])).not.toThrow();
  });

  it('rejects a wrong number of actions and step before reset', () => {
    const vec = make('next-step');
    expect(() => vec.step([0, 0, 0])).toThrow(expect.objectContaining({ code: 'ENV_NOT_RESET' }));
    vec.reset({ seed: 0 });
    expect(() => vec.step([0])).toThrow(expect.objectContaining({ code: 'ENV_INVALID_ACTION' }));
  });

  it('refuses step and reset after close, and closes its sub-environments once', () => {
    let closes = 0;
    const counted = () => {
      const e = makeCartPole(15);
      const inner = e.close?.bind(e);
      e.close = () => {
        closes++;
        inner?.();
      };
      return e;
    };
    const vec = new SyncVectorEnv([counted, counted, counted]);
    vec.reset({ seed: 0 });
    vec.close();
    vec.close();
    expect(closes).toBe(3);
    expect(() => vec.step([0, 0, 0])).toThrow(expect.objectContaining({ code: 'ENV_CLOSED' }));
    expect(() => vec.reset()).toThrow(expect.objectContaining({ code: 'ENV_CLOSED' }));
  });
});
