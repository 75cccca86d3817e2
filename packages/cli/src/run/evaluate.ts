import {
  createRng,
  type FactoryDeps,
  type Host,
  type Learner,
  type Logger,
  type Policy,
  type Rng,
  runEpisodes,
  TOKENS,
  type TrainContext,
  type TrainEvent,
  validateScenario,
} from '@twinforge/core';
import type { Observable } from 'rxjs';
import type { PipelineDefinition } from '../definition/pipeline-definition.js';

export interface EpisodeOutcome {
  return: number;
  length: number;
}

interface Rollout {
  host: Host;
  definition: PipelineDefinition;
  /** Root stream of this rollout; equal roots give equal scenarios and reset seeds. */
  rng: Rng;
  episodes: number;
  signal: AbortSignal;
  logger: Logger;
}

/** A training context over a fresh environment and generator, outside any pipeline run (nothing is recorded). */
function rolloutContext(r: Rollout): TrainContext {
  const container = r.host.container.createChildContainer();
  container.registerInstance(TOKENS.Rng, r.rng);
  container.registerInstance(TOKENS.Signal, r.signal);
  const deps = (name: string): FactoryDeps => ({
    container,
    rng: r.rng.split(name),
    logger: r.logger.child({ component: name }),
    signal: r.signal,
  });
  const { environment, generator, condition } = r.definition;
  const env = r.host.createEnvironment(environment.id, environment.config, deps('environment'));
  const gen = r.host.createGenerator(generator.id, generator.config, deps('generator'));
  const scenarioRng = r.rng.split('scenarios');
  return {
    env,
    rng: r.rng.split('rollout'),
    episodes: r.episodes,
    maxStepsPerEpisode: r.definition.maxStepsPerEpisode ?? 10_000,
    signal: r.signal,
    logger: r.logger,
    scenarios: { next: () => validateScenario(gen.sample(condition, scenarioRng), env.supportedEvents ?? []) },
    record: () => {},
    feedback: () => {},
  };
}

/** Subscribes until the stream completes, the signal aborts (partial results kept) or it fails. */
function drain(events$: Observable<TrainEvent>, signal: AbortSignal): Promise<EpisodeOutcome[]> {
  return new Promise((resolve, reject) => {
    const out: EpisodeOutcome[] = [];
    const finish = () => {
      subscription.unsubscribe();
      resolve(out);
    };
    const subscription = events$.subscribe({
      next: (e) => {
        if (e.type === 'episode') out.push({ return: e.return, length: e.length });
      },
      error: (error: unknown) => {
        signal.removeEventListener('abort', finish);
        reject(error);
      },
      complete: () => {
        signal.removeEventListener('abort', finish);
        resolve(out);
      },
    });
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
  });
}

/**
 * Greedy evaluation (`explore: false`) of a policy for `episodes` episodes on a fresh environment. Every policy of a
 * seed gets the same root stream, hence the same scenarios and reset seeds (common random numbers), so the
 * differences between the learner and the baselines come from the policies alone.
 */
export async function evaluatePolicy(
  policy: Policy,
  args: { host: Host; definition: PipelineDefinition; seed: number; signal: AbortSignal; logger: Logger },
): Promise<EpisodeOutcome[]> {
  const ctx = rolloutContext({
    ...args,
    rng: createRng(args.seed).split('evaluation'),
    episodes: args.definition.evaluation.episodes,
  });
  try {
    return await drain(runEpisodes(ctx, policy, { explore: false }), args.signal);
  } finally {
    ctx.env.close?.();
  }
}

/**
 * Builds a baseline policy: the learner contribution `id`, trained for `trainEpisodes` (0 for fixed rules such as
 * random or greedy: train() then only shows it the environment) on a rollout of its own.
 */
export async function baselinePolicy(
  baseline: { id: string; config: Record<string, unknown>; label: string; trainEpisodes: number },
  args: { host: Host; definition: PipelineDefinition; seed: number; signal: AbortSignal; logger: Logger },
): Promise<{ policy: Policy; close(): void }> {
  const rng = createRng(args.seed).split(`baseline:${baseline.label}`);
  const ctx = rolloutContext({ ...args, rng: rng.split('training'), episodes: baseline.trainEpisodes });
  const learner: Learner = args.host.createLearner(baseline.id, baseline.config, {
    container: args.host.container,
    rng: rng.split('learner'),
    logger: args.logger.child({ baseline: baseline.label }),
    signal: args.signal,
  });
  const close = () => ctx.env.close?.();
  try {
    await drain(learner.train(ctx), args.signal);
    // The environment stays open until the caller has evaluated: a policy may keep a reference to it.
    return { policy: learner.policy(), close };
  } catch (error) {
    close();
    throw error;
  }
}
