import { type StepResult, TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Wrapper } from './wrapper.js';

/**
 * Scales rewards by the running standard deviation of the discounted return, as Gymnasium's NormalizeReward: the
 * return accumulator G ← γ·G·(1 − terminated) + r feeds a running variance (Chan's update with Gymnasium's prior
 * of count 1e-4, mean 0, var 1), and the reward is divided by √(var + ε). The mean is not subtracted, so the sign
 * of every reward survives. Set `updateRunningStats = false` to freeze the scale for evaluation.
 */
export class NormalizeReward<O, A> extends Wrapper<O, A> {
  updateRunningStats = true;
  #return = 0;
  #count = 1e-4;
  #mean = 0;
  #var = 1;

  constructor(
    env: Env<O, A>,
    readonly gamma = 0.99,
    readonly epsilon = 1e-8,
  ) {
    super(env);
    if (!(gamma >= 0 && gamma <= 1))
      throw new TwinforgeError('INVALID_ARGUMENT', `gamma must be in [0, 1], got ${gamma}`);
  }

  /** Running variance of the discounted return. */
  get returnVar(): number {
    return this.#var;
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.#return = this.#return * this.gamma * (r.terminated ? 0 : 1) + r.reward;
    if (this.updateRunningStats) this.#update(this.#return);
    return { ...r, reward: r.reward / Math.sqrt(this.#var + this.epsilon) };
  }

  /** Chan et al.'s combination of the running moments with a batch of one value. */
  #update(x: number): void {
    const total = this.#count + 1;
    const delta = x - this.#mean;
    this.#mean += delta / total;
    this.#var = (this.#var * this.#count + (delta * delta * this.#count) / total) / total;
    this.#count = total;
  }
}
