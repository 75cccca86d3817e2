import { TwinforgeError } from '@twinforge/core';
import type { LoopTransition } from '../loops/train-loop.js';

/** A loop transition without its info: what the accumulator needs. */
export type NStepInput<O, A> = Omit<LoopTransition<O, A>, 'info'>;

/** An n-step transition: target = reward + γ^steps · (1 − terminated) · V(nextObservation). */
export interface NStepTransition<O, A> {
  observation: O;
  action: A;
  /** Σ_{k<steps} γ^k r_{t+k}. */
  reward: number;
  nextObservation: O;
  terminated: boolean;
  /** How many rewards were summed: n, or fewer at the end of an episode. */
  steps: number;
  /** γ^steps, the factor of the bootstrap term. */
  discount: number;
}

/**
 * Turns a stream of one-step transitions from one environment into n-step transitions (DQfD / DIRS n-step loss,
 * Rainbow). Each push returns what became complete: nothing until n steps are queued, then one per step; at the end
 * of an episode every queued start is flushed with its shorter horizon. A truncated ending still bootstraps
 * (terminated stays false) — cutting the return there would teach the learner that time limits are terminal.
 */
export class NStepAccumulator<O, A> {
  readonly #queue: NStepInput<O, A>[] = [];

  constructor(
    readonly n: number,
    readonly gamma: number,
  ) {
    if (!Number.isSafeInteger(n) || n < 1) throw new TwinforgeError('INVALID_ARGUMENT', `n must be >= 1, got ${n}`);
    if (!(gamma >= 0 && gamma <= 1)) throw new TwinforgeError('INVALID_ARGUMENT', `gamma must be in [0, 1]`);
  }

  get pending(): number {
    return this.#queue.length;
  }

  push(t: NStepInput<O, A>): NStepTransition<O, A>[] {
    this.#queue.push(t);
    const out: NStepTransition<O, A>[] = [];
    if (t.terminated || t.truncated) {
      while (this.#queue.length > 0) {
        out.push(this.#emit(this.#queue.length));
        this.#queue.shift();
      }
    } else if (this.#queue.length === this.n) {
      out.push(this.#emit(this.n));
      this.#queue.shift();
    }
    return out;
  }

  /** Drops queued steps (e.g. after an external reset that the stream did not report). */
  clear(): void {
    this.#queue.length = 0;
  }

  #emit(steps: number): NStepTransition<O, A> {
    const first = this.#queue[0] as NStepInput<O, A>;
    const last = this.#queue[steps - 1] as NStepInput<O, A>;
    let reward = 0;
    let g = 1;
    for (let k = 0; k < steps; k++) {
      reward += g * (this.#queue[k] as NStepInput<O, A>).reward;
      g *= this.gamma;
    }
    return {
      observation: first.observation,
      action: first.action,
      reward,
      nextObservation: last.nextObservation,
      terminated: last.terminated,
      steps,
      discount: g,
    };
  }
}
