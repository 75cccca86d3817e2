import type { PipelineEvent } from '@twinforge/core';
import type { PolicyScore, RunSummary } from './summary.js';

/**
 * Everything `twinforge run` reports while it works: progress reporters draw from it and `--json` prints each as
 * one JSON line. Pipeline events carry the seed they belong to.
 */
export type RunEvent =
  | {
      type: 'run-started';
      runDir: string;
      name: string;
      seeds: number[];
      episodesPerSeed: number;
      evaluationEpisodes: number;
      policies: string[];
    }
  | { type: 'seed-started'; seed: number; index: number }
  | ({ seed: number } & PipelineEvent)
  | { type: 'evaluation-started'; seed: number; policy: string }
  | ({ type: 'evaluated'; seed: number } & PolicyScore)
  | { type: 'interrupting'; reason: string }
  | { type: 'summary'; runDir: string; report: string; summary: RunSummary };
