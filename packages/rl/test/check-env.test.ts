import { createRng, type ResetOptions, ToyChannelEnv, toyChannelConfigSchema } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { checkEnv, TimeLimit } from '../src/index.js';
import { LineEnv } from './envs.js';

function expectCheckFails(env: Parameters<typeof checkEnv>[0], pattern: RegExp): void {
  let err: unknown;
  try {
    checkEnv(env);
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ code: 'ENV_CHECK_FAILED' });
  expect((err as Error).message).toMatch(pattern);
}

/** Planted fault: the observation has 3 entries while the space declares 2. */
class WrongShapeEnv extends LineEnv {
  protected override obs(): Float32Array {
    return new Float32Array([this.x, this.t, 0]);
  }
}

/** Planted fault: reset ignores the seed and draws from a stream that keeps advancing. */
class UnseededResetEnv extends LineEnv {
  #shared = createRng(123);
  override reset(options?: ResetOptions) {
    this.rng = this.#shared;
    return super.reset({ ...options, seed: undefined });
  }
}

/** Planted fault: the reset is seeded but the dynamics draw from a global counter. */
let globalNoise = 0;
class NondeterministicStepEnv extends LineEnv {
  override step(action: Float32Array) {
    const r = super.step(action);
    globalNoise += 0.001;
    return { ...r, reward: r.reward + globalNoise };
  }
}

class NanRewardEnv extends LineEnv {
  override step(action: Float32Array) {
    return { ...super.step(action), reward: Number.NaN };
  }
}

class MissingKeyEnv extends LineEnv {
  override step(action: Float32Array) {
    const { truncated: _t, ...rest } = super.step(action);
    return rest as ReturnType<LineEnv['step']>;
  }
}

class NumericTerminatedEnv extends LineEnv {
  override step(action: Float32Array) {
    return { ...super.step(action), terminated: 0 as unknown as boolean };
  }
}

class Float64ObsEnv extends LineEnv {
  override reset(options?: ResetOptions) {
    const r = super.reset(options);
    return { ...r, observation: Float64Array.from(r.observation) as unknown as Float32Array };
  }
}

describe('checkEnv', () => {
  it('passes a correct environment, wrapped or not, and core ToyChannelEnv', () => {
    expect(() => checkEnv(new LineEnv())).not.toThrow();
    expect(() => checkEnv(new TimeLimit(new LineEnv(), 3), { seed: 9, steps: 20 })).not.toThrow();
    expect(() =>
      checkEnv(new ToyChannelEnv(toyChannelConfigSchema.parse({}), createRng(1)), { steps: 60 }),
    ).not.toThrow();
  });

  it('catches an observation of the wrong shape', () => {
    expectCheckFails(new WrongShapeEnv(), /reset\(\) observation is not in observationSpace.*length 3.*wrong shape/);
  });

  it('catches an observation of the wrong dtype', () => {
    expectCheckFails(new Float64ObsEnv(), /Float64Array/);
  });

  it('catches a reset that is not deterministic under a seed', () => {
    expectCheckFails(new UnseededResetEnv(), /reset\(\{ seed: 0 \}\) is not deterministic/);
  });

  it('catches steps that are not deterministic under a seed', () => {
    expectCheckFails(new NondeterministicStepEnv(), /step 1 is not deterministic.*'reward'/);
  });

  it('catches a NaN reward', () => {
    expectCheckFails(new NanRewardEnv(), /non-finite reward NaN/);
  });

  it('catches a step result with a missing key', () => {
    expectCheckFails(new MissingKeyEnv(), /missing key 'truncated'/);
  });

  it('catches terminated that is not a boolean', () => {
    expectCheckFails(new NumericTerminatedEnv(), /terminated must be a boolean/);
  });

  it('catches a missing space', () => {
    const env = new LineEnv();
    Object.defineProperty(env, 'actionSpace', { value: {} });
    expectCheckFails(env, /actionSpace must be a space/);
  });
});
