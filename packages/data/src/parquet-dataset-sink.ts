import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DatasetSink, DatasetSinkInfo, DatasetSinkResult, StepRecord } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import { DATA_PATH_TEMPLATE, type DatasetInfo, featuresOf } from './dataset-info.js';
import { episodeTable, type TrajectorySummary } from './episode-table.js';
import type { FeatureStats } from './feature-stats.js';
import { mergeStatsFiles } from './merge-feature-stats.js';
import { ParquetEncoderPool } from './parquet-encoder.js';
import { type WrittenFile, writeFileAtomic, writeParquetFile } from './parquet-file.js';
import { type PreviousDataset, recoverDataset } from './recover-dataset.js';
import { estimateRowBytes } from './row-width.js';
import { FORMAT_VERSION_KEY, TRAJECTORY_FORMAT_VERSION } from './schema.js';
import { type ColumnSpace, sharedColumnSpace } from './spaces.js';
import { TrajectoryBatchBuilder } from './trajectory-batch-builder.js';

export const DATA_FILE = 'data/chunk-000/file-000.parquet';
/** Relative path of data file `file` in chunk 0 (LeRobot's data_path template). */
export const dataFile = (file: number): string => `data/chunk-000/file-${String(file).padStart(3, '0')}.parquet`;
/** Below this many rows a file is not split for parallel encoding: a worker's start-up would cost more. */
const MIN_ROWS_PER_PARALLEL_FILE = 131_072;
/** LeRobot v3's default data file size (data_files_size_in_mb: 100). */
const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;
export const EPISODES_FILE = 'meta/episodes/chunk-000/file-000.parquet';
export const INFO_FILE = 'meta/info.json';
export const STATS_FILE = 'meta/stats.json';

export interface ParquetDatasetSinkOptions {
  /** Dataset root directory; must not already hold a dataset. */
  dir: string;
  /** Catalog id (`namespace/name-vN`); defaults to `twinforge/<environment>-<runId>`. */
  datasetId?: string;
  /** Frames per second for LeRobot loaders (default 1: one step per simulated second). */
  fps?: number;
  /** Rows per Parquet row group (default 131072). */
  rowGroupSize?: number;
  /** Most rows in one data file (default 1048576; about 90 MB with a 16-float observation). */
  maxRowsPerFile?: number;
  /**
   * Largest data file in bytes (default 100 MB, LeRobot's data_files_size_in_mb), estimated from the row width before
   * compression (see estimateRowBytes), so wide observations split into more files than maxRowsPerFile alone gives.
   */
  maxFileBytes?: number;
  /**
   * Worker threads that encode data files in parallel (default: available parallelism, at most 4; 0 encodes in this
   * thread). A large run is split into that many files so each core compresses one.
   */
  encoderThreads?: number;
  /**
   * Continue the dataset already in `dir` (written by an aborted or finished run): its files are kept, new rows and
   * episodes are numbered after them, and close() rewrites meta/episodes, stats.json and info.json over old + new.
   * An empty or missing `dir` starts a new dataset. Without meta/info.json (a run killed while closing) the data
   * files whose footers check out are kept, up to the last one that ends a trajectory (see recoverDataset).
   */
  resume?: boolean;
}

type State = 'new' | 'open' | 'closed';

/**
 * The Parquet dataset sink: buffers the run's StepRecords into typed-array column builders (`write` is synchronous
 * and allocates no per-row objects) and on `close` writes a LeRobot-v3-style directory: the data file, meta/episodes
 * and, last, meta/info.json. Every file is written to a temporary name, checked and renamed, so a reader never sees
 * a partial file, and a dataset without info.json is incomplete. `abort` keeps only complete trajectories.
 */
export class ParquetDatasetSink implements DatasetSink {
  readonly options: ParquetDatasetSinkOptions;
  #state: State = 'new';
  #info: DatasetSinkInfo | undefined;
  #observation: ColumnSpace | undefined;
  #action: ColumnSpace | undefined;
  #builder: TrajectoryBatchBuilder | undefined;
  /** Trajectory id of each row, and per-trajectory facts, kept in typed arrays / small arrays. */
  #rowTrajectory = new Int32Array(1024);
  #trajectoryOf = new Map<number, Map<number, number>>();
  #trajEpisode: number[] = [];
  #trajAgent: number[] = [];
  #trajScenario: number[] = [];
  #trajRows: number[] = [];
  #trajSteps: number[] = [];
  #trajReward: number[] = [];
  #trajComplete: boolean[] = [];
  #previous: PreviousDataset | undefined;

  constructor(options: ParquetDatasetSinkOptions) {
    this.options = options;
  }

  async open(info: DatasetSinkInfo): Promise<void> {
    if (this.#state !== 'new') throw new TwinforgeError('DATASET_CLOSED', 'this sink was already opened');
    const dir = this.options.dir;
    const occupied = existsSync(dir) && readdirSync(dir).length > 0;
    if (occupied && this.options.resume) this.#previous = await loadPrevious(dir, info);
    else if (occupied) {
      throw new TwinforgeError('DATASET_EXISTS', `${dir} already exists and is not empty; choose a new directory`, {
        details: { dir },
      });
    }
    this.#observation = sharedColumnSpace(info.observationSpace, 'observation.state');
    this.#action = sharedColumnSpace(info.actionSpace, 'action');
    const previous = this.#previous;
    const agents = previous ? [...previous.agents, ...info.agents] : info.agents;
    this.#builder = new TrajectoryBatchBuilder(this.#observation, this.#action, agents);
    if (previous) {
      this.#builder.indexOffset = previous.totalFrames;
      this.#builder.episodeOffset = previous.summaries.reduce((m, t) => Math.max(m, t.episodeIndex + 1), 0);
    }
    try {
      mkdirSync(join(dir, 'data', 'chunk-000'), { recursive: true });
      mkdirSync(join(dir, 'meta', 'episodes', 'chunk-000'), { recursive: true });
    } catch (error) {
      throw new TwinforgeError('DATASET_WRITE_FAILED', `cannot create ${dir}: ${String(error)}`, { cause: error });
    }
    this.#info = info;
    this.#state = 'open';
  }

  /** Rows buffered so far. */
  get rows(): number {
    return this.#builder?.rows ?? 0;
  }

  write(record: StepRecord): void {
    if (this.#state !== 'open') {
      throw new TwinforgeError(
        'DATASET_CLOSED',
        this.#state === 'new' ? 'write() before open()' : 'write() after close()',
      );
    }
    const builder = this.#builder as TrajectoryBatchBuilder;
    const row = builder.rows;
    builder.append(record);
    const agent = builder.agentAt(row);
    const episodeIndex = builder.episodeAt(row);
    let byAgent = this.#trajectoryOf.get(episodeIndex);
    if (byAgent === undefined) {
      byAgent = new Map();
      this.#trajectoryOf.set(episodeIndex, byAgent);
    }
    let t = byAgent.get(agent);
    if (t === undefined) {
      t = this.#trajEpisode.length;
      byAgent.set(agent, t);
      this.#trajEpisode.push(episodeIndex);
      this.#trajAgent.push(agent);
      this.#trajScenario.push(builder.scenarioAt(row));
      this.#trajRows.push(0);
      this.#trajSteps.push(0);
      this.#trajReward.push(0);
      this.#trajComplete.push(false);
    }
    if (row >= this.#rowTrajectory.length) {
      const next = new Int32Array(this.#rowTrajectory.length * 2);
      next.set(this.#rowTrajectory);
      this.#rowTrajectory = next;
    }
    this.#rowTrajectory[row] = t;
    this.#trajRows[t] = (this.#trajRows[t] as number) + 1;
    if (record.isLast) this.#trajComplete[t] = true;
    else {
      this.#trajSteps[t] = (this.#trajSteps[t] as number) + 1;
      // Sum what is stored (float32), so metadata agrees with any reader's sum of `next.reward`.
      this.#trajReward[t] = (this.#trajReward[t] as number) + builder.rewardAt(row);
    }
  }

  async close(): Promise<DatasetSinkResult> {
    return this.#finish(false);
  }

  async abort(_reason: unknown): Promise<DatasetSinkResult> {
    return this.#finish(true);
  }

  async #writeData(
    builder: TrajectoryBatchBuilder,
    total: number,
    writeOpts: { metadata: Map<string, string>; rowGroupSize?: number },
  ): Promise<WrittenFile[]> {
    const first = this.#previous?.files.length ?? 0;
    const threads = this.options.encoderThreads ?? Math.min(availableParallelism(), 4);
    const observation = this.#observation as ColumnSpace;
    const rowBytes = estimateRowBytes(
      observation.kind === 'box' ? observation.width : 1,
      this.#action as ColumnSpace,
      builder.agents.values,
      builder.scenarios.values,
    );
    const byBytes = Math.max(1, Math.floor((this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) / rowBytes));
    const maxRows = Math.min(this.options.maxRowsPerFile ?? 1_048_576, byBytes);
    const parallelFiles = threads > 1 ? Math.min(threads, Math.floor(total / MIN_ROWS_PER_PARALLEL_FILE)) : 1;
    const files = Math.max(1, Math.ceil(total / maxRows), parallelFiles);
    if (files === 1 || threads === 0) {
      const parts: WrittenFile[] = [];
      for (let f = 0; f < files; f++) {
        const [from, to] = [Math.floor((total * f) / files), Math.floor((total * (f + 1)) / files)];
        parts.push(
          await writeParquetFile(
            this.options.dir,
            dataFile(first + f),
            builder.schema,
            [builder.build(from, to)],
            writeOpts,
          ),
        );
      }
      return parts;
    }
    const pool = new ParquetEncoderPool(Math.min(threads, files));
    try {
      return await Promise.all(
        Array.from({ length: files }, (_, f) => {
          const [from, to] = [Math.floor((total * f) / files), Math.floor((total * (f + 1)) / files)];
          return writeParquetFile(this.options.dir, dataFile(first + f), builder.schema, [builder.build(from, to)], {
            ...writeOpts,
            encoder: pool.encode,
          });
        }),
      );
    } finally {
      await pool.close();
    }
  }

  async #finish(aborting: boolean): Promise<DatasetSinkResult> {
    if (this.#state !== 'open') {
      throw new TwinforgeError('DATASET_CLOSED', this.#state === 'new' ? 'close() before open()' : 'already closed');
    }
    this.#state = 'closed';
    const builder = this.#builder as TrajectoryBatchBuilder;
    const info = this.#info as DatasetSinkInfo;
    const dir = this.options.dir;

    // Group rows by trajectory (in order of first appearance), keeping arrival (= frame) order inside each; on
    // abort, drop trajectories that never reached their last row.
    const count = this.#trajEpisode.length;
    const keep = this.#trajComplete.map((c) => c || !aborting);
    const start = new Int32Array(count + 1);
    for (let t = 0; t < count; t++) start[t + 1] = (start[t] as number) + (keep[t] ? (this.#trajRows[t] as number) : 0);
    const total = start[count] as number;
    const order = new Int32Array(total);
    const cursor = start.slice(0, count);
    for (let r = 0; r < builder.rows; r++) {
      const t = this.#rowTrajectory[r] as number;
      if (!keep[t]) continue;
      order[cursor[t] as number] = r;
      cursor[t] = (cursor[t] as number) + 1;
    }
    builder.reorder(order);

    const previous = this.#previous;
    const base = builder.indexOffset;
    const summaries: TrajectorySummary[] = previous ? [...previous.summaries] : [];
    for (let t = 0; t < count; t++) {
      if (!keep[t]) continue;
      const steps = this.#trajSteps[t] as number;
      const sum = this.#trajReward[t] as number;
      summaries.push({
        trajectoryIndex: summaries.length,
        episodeIndex: this.#trajEpisode[t] as number,
        agentIndex: this.#trajAgent[t] as number,
        agentId: builder.agents.values[this.#trajAgent[t] as number] as string,
        length: this.#trajRows[t] as number,
        fromIndex: base + (start[t] as number),
        toIndex: base + (start[t + 1] as number),
        rewardSum: sum,
        rewardMean: steps > 0 ? sum / steps : 0,
        scenarioId: builder.scenarios.values[this.#trajScenario[t] as number] as string,
        seed: info.seed,
      });
    }

    const footer = new Map([[FORMAT_VERSION_KEY, TRAJECTORY_FORMAT_VERSION]]);
    const rowGroupSize = this.options.rowGroupSize;
    const writeOpts = { metadata: footer, ...(rowGroupSize === undefined ? {} : { rowGroupSize }) };
    // A resumed run with nothing new to keep adds no (empty) data file.
    const fresh = previous && total === 0 ? [] : await this.#writeData(builder, total, writeOpts);
    const data = [...(previous?.files ?? []), ...fresh];
    const totalFrames = base + total;
    const episodes = episodeTable(summaries);
    const episodesFile = await writeParquetFile(dir, EPISODES_FILE, episodes.schema, episodes.batches, {
      metadata: footer,
    });

    const episodeCount = new Set(summaries.map((s) => s.episodeIndex)).size;
    const observation = this.#observation as ColumnSpace;
    const action = this.#action as ColumnSpace;
    const datasetInfo: DatasetInfo = {
      codebase_version: 'v3.0',
      robot_type: null,
      total_episodes: episodeCount,
      total_frames: totalFrames,
      total_tasks: 1,
      chunks_size: 1000,
      data_files_size_in_mb: (this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) / (1024 * 1024),
      fps: this.options.fps ?? 1,
      splits: { train: `0:${episodeCount}` },
      data_path: DATA_PATH_TEMPLATE,
      video_path: null,
      features: featuresOf(builder.schema, observation, action),
      trajectory: {
        format_version: TRAJECTORY_FORMAT_VERSION,
        dataset_id: previous?.datasetId ?? this.options.datasetId ?? `twinforge/${info.environment}-${info.runId}`,
        run_id: previous?.runId ?? info.runId,
        seed: previous?.seed ?? info.seed,
        environment: info.environment,
        observation_space: info.observationSpace,
        action_space: info.actionSpace,
        agents: [...builder.agents.values],
        alignment: 'SAR',
        total_trajectories: summaries.length,
        complete: !aborting,
        files: { data, episodes: [episodesFile] },
      },
    };
    try {
      const stats = previous ? mergeStatsFiles(previous.stats, builder.stats()) : builder.stats();
      writeFileAtomic(join(dir, STATS_FILE), `${JSON.stringify(stats, null, 2)}\n`);
      writeFileAtomic(join(dir, 'meta', 'info.json'), `${JSON.stringify(datasetInfo, null, 2)}\n`);
    } catch (error) {
      throw new TwinforgeError('DATASET_WRITE_FAILED', `cannot write meta/info.json: ${String(error)}`, {
        cause: error,
      });
    }
    this.#builder = undefined;
    return { rows: totalFrames, episodes: episodeCount, location: dir };
  }
}

/**
 * Reads the dataset a resumed sink continues. DatasetReader.open validates every listed file (magic, footer, row
 * counts), so only complete files are kept; the spaces must be the ones of the new run.
 */
async function loadPrevious(dir: string, info: DatasetSinkInfo): Promise<PreviousDataset> {
  if (!existsSync(join(dir, INFO_FILE))) return recoverDataset(dir, info);
  // Imported lazily: the reader imports this module's constants.
  const { DatasetReader } = await import('./dataset-reader.js');
  const reader = await DatasetReader.open(dir);
  const old = reader.info.trajectory;
  if (
    JSON.stringify(old.observation_space) !== JSON.stringify(info.observationSpace) ||
    JSON.stringify(old.action_space) !== JSON.stringify(info.actionSpace)
  ) {
    throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${dir} was written with other spaces; cannot resume it`, {
      details: { dir },
    });
  }
  const eps = reader.episodes;
  const col = (name: string) => eps.getChild(name);
  const summaries: TrajectorySummary[] = [];
  for (let i = 0; i < eps.numRows; i++) {
    summaries.push({
      trajectoryIndex: Number(col('trajectory_index')?.get(i)),
      episodeIndex: Number(col('episode_index')?.get(i)),
      agentIndex: Number(col('agent_index')?.get(i)),
      agentId: col('agent_id')?.get(i) as string,
      length: Number(col('length')?.get(i)),
      fromIndex: Number(col('dataset_from_index')?.get(i)),
      toIndex: Number(col('dataset_to_index')?.get(i)),
      rewardSum: col('reward_sum')?.get(i) as number,
      rewardMean: col('reward_mean')?.get(i) as number,
      scenarioId: col('scenario_id')?.get(i) as string,
      // Datasets written before meta/episodes had a seed column carry the run seed in info.json only.
      seed: col('seed') ? Number(col('seed')?.get(i)) : old.seed,
    });
  }
  let stats: Record<string, FeatureStats>;
  try {
    stats = JSON.parse(readFileSync(join(dir, STATS_FILE), 'utf8')) as Record<string, FeatureStats>;
  } catch (error) {
    throw new TwinforgeError('DATASET_CORRUPT', `${STATS_FILE} is missing or not valid JSON`, { cause: error });
  }
  return {
    files: old.files.data,
    agents: old.agents,
    totalFrames: reader.info.total_frames,
    summaries,
    stats,
    runId: old.run_id,
    seed: old.seed,
    datasetId: old.dataset_id,
  };
}
