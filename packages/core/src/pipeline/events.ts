import type { TrainEvent } from '../contracts/learner.js';
import type { DatasetSinkResult } from '../contracts/records.js';

export type PipelineStatus = 'completed' | 'cancelled';

export interface PipelineResult {
  runId: string;
  status: PipelineStatus;
  seed: number;
  environment: string;
  generator: string;
  learner: string;
  episodes: number;
  steps: number;
  /** Mean (over agents) return of each finished episode, in order. */
  returns: number[];
  meanReturn: number;
  dataset?: DatasetSinkResult;
  durationMs: number;
}

/** Everything a run reports: its own lifecycle plus the learner's TrainEvents. */
export type PipelineEvent =
  | { type: 'started'; runId: string; seed: number; environment: string; generator: string; learner: string }
  | TrainEvent
  | { type: 'finished'; result: PipelineResult };
