import type { Observable } from 'rxjs';
import type { Logger } from '../logger.js';
import type { Rng } from '../rng/rng.js';
import type { AnyEnv } from './env.js';
import type { EpisodeFeedback, ScenarioSource } from './generator.js';
import type { StepRecord } from './records.js';

export interface ActOptions {
  /** Exploration on (training) or off (evaluation). */
  explore: boolean;
  /** The agent acting, for multi-agent environments. */
  agent?: string;
}

/** What acts. Baselines (random, greedy, PSO, ...) are policies too. */
export interface Policy<O = unknown, A = unknown> {
  act(observation: O, options: ActOptions): A;
}

export type TrainEvent =
  | { type: 'progress'; episode: number; totalEpisodes: number; steps: number }
  | {
      type: 'episode';
      episode: number;
      scenarioId: string;
      return: number;
      length: number;
      /** Per-agent returns for multi-agent environments. */
      returns?: Record<string, number>;
    }
  | { type: 'metrics'; step: number; values: Record<string, number> }
  | { type: 'checkpoint'; step: number; path: string };

/** Everything a learner needs from the pipeline run. */
export interface TrainContext {
  readonly env: AnyEnv;
  readonly rng: Rng;
  readonly episodes: number;
  /** Upper bound on steps per episode (the episode is truncated there). */
  readonly maxStepsPerEpisode: number;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly scenarios: ScenarioSource;
  /** Every agent-step goes out through here to the dataset sink. */
  record(step: StepRecord): void;
  /** Curriculum feedback after each episode. */
  feedback(result: EpisodeFeedback): void;
}

export interface Learner {
  /** A cold Observable: subscribing starts training; unsubscribing (or the signal) stops it. */
  train(ctx: TrainContext): Observable<TrainEvent>;
  policy(): Policy;
  save?(dir: string): Promise<void>;
  load?(dir: string): Promise<void>;
}
