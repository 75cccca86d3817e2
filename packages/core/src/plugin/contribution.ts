import type { DependencyContainer } from 'tsyringe';
import type { z } from 'zod';
import type { AnyEnv } from '../contracts/env.js';
import type { ScenarioGenerator } from '../contracts/generator.js';
import type { Learner } from '../contracts/learner.js';
import type { Logger } from '../logger.js';
import type { Rng } from '../rng/rng.js';

/** What a factory receives besides its validated config. */
export interface FactoryDeps {
  /** The per-run child container (per-plugin outside runs). */
  readonly container: DependencyContainer;
  /** A stream split for this contribution. */
  readonly rng: Rng;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * A registered contribution: a zod schema for its config and a factory. The host validates the config before it
 * calls `create`, so factories see parsed, defaulted values only.
 */
export interface Contribution<T, S extends z.ZodType = z.ZodType> {
  readonly configSchema: S;
  readonly description?: string;
  create(config: z.output<S>, deps: FactoryDeps): T;
}

export type EnvironmentContribution<S extends z.ZodType = z.ZodType> = Contribution<AnyEnv, S>;
export type GeneratorContribution<S extends z.ZodType = z.ZodType> = Contribution<ScenarioGenerator, S>;
export type LearnerContribution<S extends z.ZodType = z.ZodType> = Contribution<Learner, S> & {
  /** Environment ids (or `*`) this learner can train on; informational for `plugins info`. */
  readonly supports?: readonly string[];
};

export type ContributionKind = 'environments' | 'generators' | 'learners';
