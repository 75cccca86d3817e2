import { createRng, type ResetOptions, type ResetResult, type Rng, type StepResult } from '@twinforge/core';
import { Box, Dict, Discrete, type Env } from '../src/index.js';

/**
 * A point on a line: action a in [-1, 1] moves it by a; reward -|x|; terminated once |x| > 5. The start is drawn
 * from the reset seed, so the environment is deterministic under a seed (what checkEnv must accept).
 */
export class LineEnv implements Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box(-Infinity, Infinity, { shape: [2] });
  readonly actionSpace = new Box(-1, 1, { shape: [1] });
  lastAction: Float32Array | undefined;
  protected rng: Rng = createRng(0);
  protected x = 0;
  protected t = 0;

  reset(options?: ResetOptions): ResetResult<Float32Array> {
    if (options?.seed !== undefined) this.rng = createRng(options.seed);
    this.x = this.rng.uniform(-1, 1);
    this.t = 0;
    return { observation: this.obs(), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    this.lastAction = action;
    this.x += action[0] as number;
    this.t++;
    return {
      observation: this.obs(),
      reward: -Math.abs(this.x),
      terminated: Math.abs(this.x) > 5,
      truncated: false,
      info: {},
    };
  }

  protected obs(): Float32Array {
    return new Float32Array([this.x, this.t]);
  }
}

/** A Dict observation env, for FlattenObservation. */
export class DictObsEnv implements Env<{ pos: Float32Array; mode: number }, number> {
  readonly observationSpace = new Dict({ pos: new Box(-1, 1, { shape: [2] }), mode: new Discrete(3) });
  readonly actionSpace = new Discrete(2);
  #rng = createRng(0);

  reset(options?: ResetOptions) {
    if (options?.seed !== undefined) this.#rng = createRng(options.seed);
    return { observation: this.observationSpace.sample(this.#rng), info: {} };
  }

  step(_action: number) {
    return {
      observation: this.observationSpace.sample(this.#rng),
      reward: 1,
      terminated: false,
      truncated: false,
      info: {},
    };
  }
}
