import { dirname, join, resolve } from 'node:path';
import {
  type AnyEnv,
  createHost,
  createRng,
  type Host,
  isTwinforgeError,
  type Learner,
  type Logger,
  type PipelineResult,
  type PluginSpec,
  type Scenario,
  silentLogger,
} from '@twinforge/core';
import { ParquetDatasetSink } from '@twinforge/data';
import { checkContributions } from '../definition/check-contributions.js';
import type { PipelineDefinition } from '../definition/pipeline-definition.js';
import { pluginRoot } from '../definition/plugin-root.js';
import { collectVersions } from '../util/versions.js';
import { type EpisodeOutcome, evaluateBaseline, evaluatePolicy } from './evaluate.js';
import type { RunEvent } from './events.js';
import {
  type EpisodeRow,
  type EvaluationRow,
  type MetricRow,
  writeEvaluation,
  writeLearningCurves,
  writeTrainMetrics,
} from './metrics-tables.js';
import { deferClose, observingHost } from './observing-host.js';
import { createRunDirectory, RUN_FILES, writeJson } from './run-directory.js';
import { policyScores, type RunStatus, type RunSummary, trainStats } from './summary.js';
import { initTensorBackendFor, type TensorBackendChoice } from './tensor-backend.js';

export interface RunPipelineOptions {
  definition: PipelineDefinition;
  /** The pipeline file: plugins named by package resolve from its directory, else from `cwd` (see pluginRoot). */
  file: string;
  cwd?: string;
  /** The run directory: created after the definition checks out, so bad input leaves nothing behind. */
  runDir: string;
  /** Aborting it (SIGINT) stops after the current episode and leaves a consistent partial run directory. */
  signal: AbortSignal;
  onEvent?(event: RunEvent): void;
  logger?: Logger;
  /** The command line, recorded in run.json. */
  argv?: readonly string[];
}

/** What run.json holds. */
export interface RunRecord {
  status: RunStatus;
  name: string;
  pipelineFile: string;
  argv: readonly string[];
  startedAt: string;
  finishedAt?: string;
  seeds: number[];
  versions: Record<string, unknown>;
  checkpointEvents: { seed: number; step: number; path: string }[];
  summary?: RunSummary;
  /** Why the run is partial, when it is. */
  note?: string;
  error?: { code: string; message: string };
}

/** A definition with plugin objects replaced by their names, so config.json is plain JSON. */
function serialisable(definition: PipelineDefinition): unknown {
  return {
    ...definition,
    plugins: definition.plugins.map((p) =>
      typeof p === 'object' && p !== null && 'manifest' in p
        ? { object: (p as { manifest: { name: string } }).manifest.name }
        : p,
    ),
  };
}

function pluginSpecs(definition: PipelineDefinition): PluginSpec[] {
  return definition.plugins.map((p) => {
    if (typeof p === 'object' && p !== null && 'name' in p && !('manifest' in p)) {
      const { name, options } = p as { name: string; options?: unknown };
      return { plugin: name, options };
    }
    return p as PluginSpec;
  });
}

/** Float32Array maps become arrays so the scenario is plain JSON (the report draws them as heatmaps). */
function scenarioJson(scenario: Scenario): unknown {
  return {
    ...scenario,
    maps: Object.fromEntries(
      Object.entries(scenario.maps ?? {}).map(([name, grid]) => [name, { ...grid, data: Array.from(grid.data) }]),
    ),
  };
}

/** The first training scenario of `seed`, reproduced from the same named streams the pipeline uses. */
function firstScenario(host: Host, definition: PipelineDefinition, seed: number): Scenario {
  const root = createRng(seed);
  const gen = host.createGenerator(definition.generator.id, definition.generator.config, {
    container: host.container,
    rng: root.split('generator'),
    logger: silentLogger,
    signal: new AbortController().signal,
  });
  return gen.sample(definition.condition, root.split('scenarios'));
}

/**
 * Runs a pipeline definition into a run directory: for each seed, train (every transition to the Parquet dataset,
 * episodes to the learning curves), save a checkpoint when the learner can, then evaluate the trained policy and
 * every baseline greedily on common scenarios. Metrics and run.json are rewritten after every seed, so even a killed
 * run leaves a readable directory; an aborted signal ends the run as `interrupted` with only complete data kept.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  const { definition, signal } = options;
  const runDir = resolve(options.runDir);
  let created = false;
  const emit = options.onEvent ?? (() => {});
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const specs = pluginSpecs(definition);
  const names = specs.flatMap((p) =>
    typeof p === 'string' ? [p] : 'plugin' in p && typeof p.plugin === 'string' ? [p.plugin] : [],
  );
  const resolveFrom = pluginRoot(names, dirname(options.file), options.cwd ?? process.cwd());
  const host = await createHost({ plugins: specs, resolveFrom, logger });
  let tensorBackend: TensorBackendChoice | undefined;
  try {
    tensorBackend = await initTensorBackendFor(
      host.plugins.map((p) => p.name),
      resolveFrom,
      logger,
    );
  } catch (error) {
    await host.dispose();
    throw error;
  }
  const episodes: EpisodeRow[] = [];
  const metrics: MetricRow[] = [];
  const evaluations: EvaluationRow[] = [];
  const checkpoints: string[] = [];
  const completedSeeds: number[] = [];
  let dataset: RunSummary['dataset'];
  const record: RunRecord = {
    status: 'running',
    name: definition.name,
    pipelineFile: options.file,
    argv: options.argv ?? [],
    startedAt: new Date().toISOString(),
    seeds: definition.seeds,
    versions: { ...collectVersions(host.plugins), ...(tensorBackend ? { tensorBackend } : {}) },
    checkpointEvents: [],
  };
  const learnerLabel = `${definition.learner.id} (trained)`;

  const summary = (status: RunStatus): RunSummary => ({
    status,
    seeds: definition.seeds,
    completedSeeds: [...completedSeeds],
    episodesPerSeed: definition.episodes,
    train: trainStats(episodes),
    evaluation: { episodesPerSeed: definition.evaluation.episodes, policies: policyScores(evaluations) },
    ...(dataset ? { dataset } : {}),
    checkpoints: [...checkpoints],
    durationMs: performance.now() - started,
  });
  /** Metrics first, run.json last: run.json never describes data that is not on disk. */
  const persist = async (status: RunStatus, extra: Partial<RunRecord> = {}): Promise<RunSummary> => {
    await writeLearningCurves(runDir, RUN_FILES.learningCurves, episodes);
    await writeTrainMetrics(runDir, RUN_FILES.trainMetrics, metrics);
    await writeEvaluation(runDir, RUN_FILES.evaluation, evaluations);
    const s = summary(status);
    Object.assign(record, { status, summary: s, ...extra });
    if (status !== 'running') record.finishedAt = new Date().toISOString();
    writeJson(runDir, RUN_FILES.run, record);
    return s;
  };

  try {
    checkContributions(host, definition, options.file);
    createRunDirectory(runDir);
    created = true;
    writeJson(runDir, RUN_FILES.config, serialisable(definition));
    writeJson(runDir, RUN_FILES.scenario, scenarioJson(firstScenario(host, definition, definition.seeds[0] as number)));
    await persist('running');
    emit({
      type: 'run-started',
      runDir,
      name: definition.name,
      seeds: definition.seeds,
      episodesPerSeed: definition.episodes,
      evaluationEpisodes: definition.evaluation.episodes,
      policies: [learnerLabel, ...definition.evaluation.baselines.map((b) => b.label)],
    });

    for (const [index, seed] of definition.seeds.entries()) {
      if (signal.aborted) break;
      emit({ type: 'seed-started', seed, index });
      const { result, trained, env, release } = await trainSeed(seed, index);
      try {
        if (result.status === 'cancelled' || signal.aborted) break;
        if (definition.evaluation.episodes > 0) {
          const complete = await evaluateSeed(seed, trained, env);
          if (!complete) break;
        }
      } finally {
        release();
      }
      completedSeeds.push(seed);
      await persist('running');
    }

    if (signal.aborted) {
      const done = completedSeeds.length;
      const note =
        `interrupted after ${done} of ${definition.seeds.length} seed(s) and ${episodes.length} training episode(s): ` +
        'metrics, dataset and report hold only complete episodes';
      return await persist('interrupted', { note });
    }
    return await persist('completed');
  } catch (error) {
    const code = isTwinforgeError(error) ? error.code : 'PIPELINE_FAILED';
    if (created) {
      const message = error instanceof Error ? error.message : String(error);
      await persist('failed', { error: { code, message } }).catch(() => {});
    }
    throw error;
  } finally {
    await host.dispose();
  }

  async function trainSeed(
    seed: number,
    index: number,
  ): Promise<{ result: PipelineResult; trained: Learner | undefined; env: AnyEnv | undefined; release(): void }> {
    let learner: Learner | undefined;
    let env: AnyEnv | undefined;
    let held: { release(): void } | undefined;
    const view = observingHost(host, {
      onLearner: (l) => {
        learner = l;
      },
      onEnvironment: (e) => {
        env = e;
        held = deferClose(e);
      },
    });
    const datasetDir = join(runDir, RUN_FILES.dataset);
    let builder = view
      .pipeline()
      .environment(definition.environment.id, definition.environment.config)
      .generator(definition.generator.id, definition.generator.config)
      .condition(definition.condition)
      .learner(definition.learner.id, definition.learner.config);
    if (definition.dataset.enabled) {
      // One dataset for the whole run: later seeds continue it (meta/episodes records each trajectory's seed).
      builder = builder.dataset(
        new ParquetDatasetSink({
          dir: datasetDir,
          resume: index > 0,
          datasetId: definition.dataset.id ?? `twinforge/${definition.name}`,
        }),
      );
    }
    const run = builder.run({
      seed,
      episodes: definition.episodes,
      signal,
      runId: `${definition.name}-s${seed}`,
      ...(definition.maxStepsPerEpisode ? { maxStepsPerEpisode: definition.maxStepsPerEpisode } : {}),
    });
    let steps = 0;
    run.events$.subscribe({
      next: (event) => {
        if (event.type === 'episode') {
          steps += event.length;
          episodes.push({
            policy: learnerLabel,
            kind: 'learner',
            seed,
            episode: event.episode,
            return: event.return,
            length: event.length,
            steps,
            scenarioId: event.scenarioId,
          });
        } else if (event.type === 'metrics') {
          for (const [name, value] of Object.entries(event.values))
            metrics.push({ seed, step: event.step, name, value });
        } else if (event.type === 'checkpoint') {
          record.checkpointEvents.push({ seed, step: event.step, path: event.path });
        }
        emit({ ...event, seed });
      },
      error: () => {},
    });
    const release = () => held?.release();
    let result: PipelineResult;
    try {
      result = await run.done;
    } catch (error) {
      release();
      throw error;
    }
    if (result.dataset) {
      // A resumed sink reports the whole dataset (earlier seeds included).
      dataset = {
        path: RUN_FILES.dataset,
        rows: result.dataset.rows,
        episodes: result.dataset.episodes,
        complete: result.status === 'completed',
      };
    }
    if (result.status === 'completed' && learner?.save) {
      const relative = `${RUN_FILES.checkpoints}/seed-${seed}`;
      await learner.save(join(runDir, relative));
      checkpoints.push(relative);
    }
    return { result, trained: learner, env, release };
  }

  /** Returns false when interrupted (the seed then does not count as completed). */
  async function evaluateSeed(seed: number, learner: Learner | undefined, env: AnyEnv | undefined): Promise<boolean> {
    const args = { host, definition, seed, signal, logger };
    const expected = definition.evaluation.episodes;
    const add = (policy: string, kind: 'learner' | 'baseline', outcomes: EpisodeOutcome[]): boolean => {
      if (outcomes.length < expected) return false;
      const rows = outcomes.map((o, episode) => ({ policy, kind, seed, episode, return: o.return, length: o.length }));
      evaluations.push(...rows);
      const score = policyScores(rows)[0];
      if (score) emit({ type: 'evaluated', seed, ...score });
      return true;
    };
    const before = { evaluations: evaluations.length, episodes: episodes.length };
    if (learner && env) {
      emit({ type: 'evaluation-started', seed, policy: learnerLabel });
      if (!add(learnerLabel, 'learner', await evaluatePolicy(learner.policy(), env, args))) return rollback(before);
    }
    for (const baseline of definition.evaluation.baselines) {
      if (signal.aborted) return rollback(before);
      emit({ type: 'evaluation-started', seed, policy: baseline.label });
      const { training, evaluation } = await evaluateBaseline(baseline, args);
      // A baseline that trains gets its learning curve next to the learner's (e.g. physical QL against DT-QL).
      let steps = 0;
      for (const [episode, o] of training.entries()) {
        steps += o.length;
        const { return: ret, length, scenarioId } = o;
        episodes.push({
          policy: baseline.label,
          kind: 'baseline',
          seed,
          episode,
          return: ret,
          length,
          steps,
          scenarioId,
        });
      }
      if (!add(baseline.label, 'baseline', evaluation)) return rollback(before);
    }
    return true;
  }

  /** An interrupted evaluation is dropped whole, so every policy in the table saw the same scenarios. */
  function rollback(before: { evaluations: number; episodes: number }): false {
    evaluations.length = before.evaluations;
    episodes.length = before.episodes;
    return false;
  }
}
