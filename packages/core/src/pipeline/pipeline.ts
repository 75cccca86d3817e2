import { type Observable, Subject } from 'rxjs';
import { validateConfig } from '../config.js';
import { isParallelEnv } from '../contracts/env.js';
import { type Condition, isCurriculum } from '../contracts/generator.js';
import type { TrainContext } from '../contracts/learner.js';
import type { DatasetSink, DatasetSinkResult } from '../contracts/records.js';
import { isTwinforgeError, TwinforgeError } from '../errors.js';
import type { Host } from '../host/host.js';
import { runOptionsSchema } from '../host/plugin-errors.js';
import type { FactoryDeps } from '../plugin/contribution.js';
import { createRng, type Rng } from '../rng/rng.js';
import { validateScenario } from '../scenario-validate.js';
import { TOKENS } from '../tokens.js';
import type { PipelineEvent, PipelineResult } from './events.js';

export interface RunOptions {
  seed: number;
  episodes: number;
  maxStepsPerEpisode?: number;
  signal?: AbortSignal;
  runId?: string;
}

export interface PipelineRun {
  readonly runId: string;
  /** Lifecycle and training events. Subscribe right after run(): work starts on the next turn of the event loop. */
  readonly events$: Observable<PipelineEvent>;
  /** Resolves when the run completes or is cancelled; rejects with a TwinforgeError on failure. */
  readonly done: Promise<PipelineResult>;
}

interface Part {
  id: string;
  config: unknown;
}

/**
 * Composes environment + generator + learner + dataset sink from a host's registries. Each setter returns a new
 * builder, so a base pipeline can be shared and varied. Defaults: the `static` generator and the `random` learner.
 */
export class PipelineBuilder {
  constructor(
    private readonly host: Host,
    private readonly parts: {
      environment?: Part;
      generator?: Part;
      learner?: Part;
      sink?: DatasetSink;
      condition?: Condition;
    } = {},
  ) {}

  environment(id: string, config: unknown = {}): PipelineBuilder {
    return new PipelineBuilder(this.host, { ...this.parts, environment: { id, config } });
  }
  generator(id: string, config: unknown = {}): PipelineBuilder {
    return new PipelineBuilder(this.host, { ...this.parts, generator: { id, config } });
  }
  learner(id: string, config: unknown = {}): PipelineBuilder {
    return new PipelineBuilder(this.host, { ...this.parts, learner: { id, config } });
  }
  dataset(sink: DatasetSink): PipelineBuilder {
    return new PipelineBuilder(this.host, { ...this.parts, sink });
  }
  /** The condition passed to the generator for every scenario (e.g. `{ jammers: 2, load: 0.8 }`). */
  condition(condition: Condition): PipelineBuilder {
    return new PipelineBuilder(this.host, { ...this.parts, condition });
  }

  run(options: RunOptions): PipelineRun {
    const opts = validateConfig(runOptionsSchema, options, 'pipeline run options');
    const environment = this.parts.environment;
    if (!environment) {
      throw new TwinforgeError('PIPELINE_INCOMPLETE', 'a pipeline needs an environment: call .environment(id, config)');
    }
    if (this.host.disposed) throw new TwinforgeError('HOST_DISPOSED', 'the host was disposed; create a new one');
    const generator = this.parts.generator ?? { id: 'static', config: {} };
    const learner = this.parts.learner ?? { id: 'random', config: {} };
    // Resolve ids now, so a typo fails at the call site rather than inside the run.
    for (const [registry, part] of [
      [this.host.environments, environment],
      [this.host.generators, generator],
      [this.host.learners, learner],
    ] as const) {
      registry.get(part.id);
    }
    const runId = opts.runId ?? `run-${opts.seed}-${Date.now().toString(36)}`;
    const events = new Subject<PipelineEvent>();
    const done = new Promise<PipelineResult>((resolve, reject) => {
      setImmediate(() => {
        execute({ host: this.host, runId, opts, environment, generator, learner, parts: this.parts, events }).then(
          (result) => {
            events.next({ type: 'finished', result });
            events.complete();
            resolve(result);
          },
          (error: unknown) => {
            const wrapped = isTwinforgeError(error)
              ? error
              : new TwinforgeError('PIPELINE_FAILED', `pipeline ${runId} failed: ${String(error)}`, { cause: error });
            events.error(wrapped);
            reject(wrapped);
          },
        );
      });
    });
    // Callers who only watch events$ must not crash the process with an unhandled rejection.
    done.catch(() => {});
    return { runId, events$: events.asObservable(), done };
  }
}

async function execute(args: {
  host: Host;
  runId: string;
  opts: { seed: number; episodes: number; maxStepsPerEpisode: number; signal?: AbortSignal | undefined };
  environment: Part;
  generator: Part;
  learner: Part;
  parts: { sink?: DatasetSink; condition?: Condition };
  events: Subject<PipelineEvent>;
}): Promise<PipelineResult> {
  const { host, runId, opts, events } = args;
  const started = performance.now();
  const signal = opts.signal ?? new AbortController().signal;
  const rng = createRng(opts.seed);
  const runContainer = host.container.createChildContainer();
  runContainer.registerInstance(TOKENS.Rng, rng);
  runContainer.registerInstance(TOKENS.Signal, signal);
  runContainer.registerInstance(TOKENS.RunId, runId);
  if (args.parts.sink) runContainer.registerInstance(TOKENS.DatasetSink, args.parts.sink);
  const logger = host.logger.child({ runId });
  const deps = (name: string, stream: Rng): FactoryDeps => ({
    container: runContainer,
    rng: stream,
    logger: logger.child({ component: name }),
    signal,
  });

  const env = host.createEnvironment(
    args.environment.id,
    args.environment.config,
    deps('environment', rng.split('environment')),
  );
  const gen = host.createGenerator(args.generator.id, args.generator.config, deps('generator', rng.split('generator')));
  const learner = host.createLearner(args.learner.id, args.learner.config, deps('learner', rng.split('learner')));
  const sink = args.parts.sink;
  const agents = isParallelEnv(env) ? [...env.possibleAgents] : ['agent_0'];

  events.next({
    type: 'started',
    runId,
    seed: opts.seed,
    environment: args.environment.id,
    generator: args.generator.id,
    learner: args.learner.id,
  });
  if (sink) {
    await sink.open({
      runId,
      seed: opts.seed,
      environment: args.environment.id,
      agents,
      observationSpace: isParallelEnv(env)
        ? Object.fromEntries(agents.map((a) => [a, env.observationSpace(a).toJSON()]))
        : env.observationSpace.toJSON(),
      actionSpace: isParallelEnv(env)
        ? Object.fromEntries(agents.map((a) => [a, env.actionSpace(a).toJSON()]))
        : env.actionSpace.toJSON(),
    });
  }

  const scenarioRng = rng.split('scenarios');
  const returns: number[] = [];
  let steps = 0;
  const ctx: TrainContext = {
    env,
    rng: rng.split('training'),
    episodes: opts.episodes,
    maxStepsPerEpisode: opts.maxStepsPerEpisode,
    signal,
    logger,
    scenarios: {
      next: () => validateScenario(gen.sample(args.parts.condition ?? {}, scenarioRng), env.supportedEvents ?? []),
    },
    record: (step) => {
      if (!step.isLast) steps++;
      sink?.write(step);
    },
    feedback: (result) => {
      if (isCurriculum(gen)) gen.update(result);
    },
  };

  let failure: unknown;
  let onAbort: (() => void) | undefined;
  await new Promise<void>((resolve) => {
    const subscription = learner.train(ctx).subscribe({
      next: (event) => {
        if (event.type === 'episode') returns.push(event.return);
        events.next(event);
      },
      error: (error: unknown) => {
        failure = error;
        resolve();
      },
      complete: () => resolve(),
    });
    onAbort = () => {
      subscription.unsubscribe();
      resolve();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // A long-lived signal (one controller for many runs) must not keep every finished run reachable.
  if (onAbort) signal.removeEventListener('abort', onAbort);

  let dataset: DatasetSinkResult | undefined;
  const cancelled = signal.aborted;
  try {
    if (sink) {
      const incomplete = failure !== undefined || cancelled;
      dataset = incomplete && sink.abort ? await sink.abort(failure ?? 'cancelled') : await sink.close();
    }
  } finally {
    env.close?.();
  }
  if (failure) throw failure;
  const meanReturn = returns.length > 0 ? returns.reduce((a, b) => a + b, 0) / returns.length : 0;
  return {
    runId,
    status: cancelled ? 'cancelled' : 'completed',
    seed: opts.seed,
    environment: args.environment.id,
    generator: args.generator.id,
    learner: args.learner.id,
    episodes: returns.length,
    steps,
    returns,
    meanReturn,
    ...(dataset ? { dataset } : {}),
    durationMs: performance.now() - started,
  };
}
