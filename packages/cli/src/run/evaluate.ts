import {
  type AnyEnv,
  createRng,
  type Host,
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
import type { Baseline, PipelineDefinition } from '../definition/pipeline-definition.js';

export interface EpisodeOutcome {
  return: number;
  length: number;
  scenarioId: string;
}

export interface EvaluationArgs {
  host: Host;
  definition: PipelineDefinition;
  seed: number;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * An environment built exactly like the seed's training environment (same config, same named stream), so every
 * baseline meets the layout the learner trained on (node positions and the like are often drawn at construction).
 */
function twinOfTrainingEnvironment(args: EvaluationArgs): AnyEnv {
  const root = createRng(args.seed);
  const container = args.host.container.createChildContainer();
  container.registerInstance(TOKENS.Rng, root);
  container.registerInstance(TOKENS.Signal, args.signal);
  const { environment } = args.definition;
  return args.host.createEnvironment(environment.id, environment.config, {
    container,
    rng: root.split('environment'),
    logger: args.logger.child({ component: 'evaluation-environment' }),
    signal: args.signal,
  });
}

/** A training context over `env` whose scenarios and reset seeds come from `rng` (nothing is recorded). */
function rolloutContext(env: AnyEnv, rng: Rng, episodes: number, args: EvaluationArgs): TrainContext {
  const { generator, condition } = args.definition;
  const gen = args.host.createGenerator(generator.id, generator.config, {
    container: args.host.container,
    rng: rng.split('generator'),
    logger: args.logger.child({ component: 'evaluation-generator' }),
    signal: args.signal,
  });
  const scenarioRng = rng.split('scenarios');
  return {
    env,
    rng: rng.split('rollout'),
    episodes,
    maxStepsPerEpisode: args.definition.maxStepsPerEpisode ?? 10_000,
    signal: args.signal,
    logger: args.logger,
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
        if (e.type === 'episode') out.push({ return: e.return, length: e.length, scenarioId: e.scenarioId });
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

/** Greedy episodes (`explore: false`) of `policy` on `env`, scenarios and reset seeds common to every policy. */
function greedyEpisodes(policy: Policy, env: AnyEnv, args: EvaluationArgs): Promise<EpisodeOutcome[]> {
  const rng = createRng(args.seed).split('evaluation').split('rollouts');
  const ctx = rolloutContext(env, rng, args.definition.evaluation.episodes, args);
  return drain(runEpisodes(ctx, policy, { explore: false }), args.signal);
}

/**
 * Evaluates a trained learner's policy on the environment instance it trained on (reset for every episode), so a
 * policy that reads its environment keeps working. Every policy of a seed sees the same layout, scenarios and reset
 * seeds (common random numbers), so the differences between the learner and the baselines come from the policies.
 */
export function evaluatePolicy(policy: Policy, env: AnyEnv, args: EvaluationArgs): Promise<EpisodeOutcome[]> {
  return greedyEpisodes(policy, env, args);
}

/**
 * Evaluates a baseline: the learner contribution `baseline.id`, first trained for `trainEpisodes` (0 for fixed rules
 * such as random, greedy or PSO: train() then only shows it the environment) on a twin of the training environment,
 * then evaluated on that same instance, since centralised rules read the environment they were shown (all channel
 * gains, not one agent's observation).
 */
export async function evaluateBaseline(
  baseline: Baseline,
  args: EvaluationArgs,
): Promise<{ training: EpisodeOutcome[]; evaluation: EpisodeOutcome[] }> {
  const rng = createRng(args.seed).split(`baseline:${baseline.label}`);
  const env = twinOfTrainingEnvironment(args);
  try {
    const learner = args.host.createLearner(baseline.id, baseline.config, {
      container: args.host.container,
      rng: rng.split('learner'),
      logger: args.logger.child({ baseline: baseline.label }),
      signal: args.signal,
    });
    const training = await drain(
      learner.train(rolloutContext(env, rng.split('training'), baseline.trainEpisodes, args)),
      args.signal,
    );
    if (args.signal.aborted) return { training, evaluation: [] };
    return { training, evaluation: await greedyEpisodes(learner.policy(), env, args) };
  } finally {
    env.close?.();
  }
}
