import { type ResetOptions, type ResetResult, type StepResult, TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Wrapper } from './wrapper.js';

/**
 * Ends an episode after `maxEpisodeSteps` steps with `truncated: true` (never `terminated`: the time limit is not
 * part of the MDP, so learners must still bootstrap from the last state).
 */
export class TimeLimit<O, A> extends Wrapper<O, A> {
  #elapsed = -1;

  constructor(
    env: Env<O, A>,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isSafeInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
    }
  }

  /** Steps taken in the current episode (-1 before the first reset). */
  get elapsedSteps(): number {
    return this.#elapsed;
  }

  override reset(options?: ResetOptions): ResetResult<O> {
    this.#elapsed = 0;
    return this.env.reset(options);
  }

  override step(action: A): StepResult<O> {
    if (this.#elapsed < 0) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step() (TimeLimit)');
    const r = this.env.step(action);
    this.#elapsed++;
    if (this.#elapsed >= this.maxEpisodeSteps) return { ...r, truncated: true };
    return r;
  }
}
