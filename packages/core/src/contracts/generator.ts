import type { Rng } from '../rng/rng.js';
import type { Scenario } from '../scenario.js';

export type Condition = Readonly<Record<string, number | string | boolean>>;

/** Samples scenarios; `fit` trains it from a dataset when it is a learned model. */
export interface ScenarioGenerator {
  sample(condition: Condition, rng: Rng): Scenario;
  fit?(dataset: unknown, options?: { signal?: AbortSignal }): Promise<void>;
}

/** What a curriculum learns from after each episode. */
export interface EpisodeFeedback {
  scenarioId: string;
  return: number;
  length: number;
  regret?: number;
}

/** A generator that steers what it samples from feedback (PAIRED-like or level replay). */
export interface Curriculum extends ScenarioGenerator {
  update(feedback: EpisodeFeedback): void;
}

export function isCurriculum(g: ScenarioGenerator): g is Curriculum {
  return typeof (g as Curriculum).update === 'function';
}

/** The per-run stream of scenarios the pipeline hands to learners. */
export interface ScenarioSource {
  next(): Scenario;
}
