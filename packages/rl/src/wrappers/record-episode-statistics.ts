import type { ResetOptions, ResetResult, StepResult } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Wrapper } from './wrapper.js';

/** What RecordEpisodeStatistics puts in `info.episode` at the end of an episode (Gymnasium's r, l, t). */
export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall time of the episode in seconds. */
  t: number;
}

/**
 * Adds `info.episode = { r, l, t }` on the step that ends an episode and keeps the last `bufferLength` returns and
 * lengths, so training loops report episode returns without tracking them themselves.
 */
export class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  #return = 0;
  #length = 0;
  #start = 0;

  constructor(
    env: Env<O, A>,
    readonly bufferLength = 100,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    super(env);
  }

  override reset(options?: ResetOptions): ResetResult<O> {
    this.#return = 0;
    this.#length = 0;
    this.#start = this.now();
    return this.env.reset(options);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.#return += r.reward;
    this.#length++;
    if (!r.terminated && !r.truncated) return r;
    const episode: EpisodeStatistics = { r: this.#return, l: this.#length, t: this.now() - this.#start };
    push(this.returnQueue, episode.r, this.bufferLength);
    push(this.lengthQueue, episode.l, this.bufferLength);
    return { ...r, info: { ...r.info, episode } };
  }
}

function push(queue: number[], v: number, cap: number): void {
  queue.push(v);
  if (queue.length > cap) queue.shift();
}
