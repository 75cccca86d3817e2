import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DatasetSink, DatasetSinkInfo, DatasetSinkResult, StepRecord } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import { DataFileWriter, dataFile } from './data-file-writer.js';
import { DATA_PATH_TEMPLATE, type DatasetInfo, featuresOf } from './dataset-info.js';
import { episodeTable, type TrajectorySummary } from './episode-table.js';
import type { FeatureStats } from './feature-stats.js';
import { mergeStatsFiles } from './merge-feature-stats.js';
import { writeFileAtomic, writeParquetFile } from './parquet-file.js';
import { type PreviousDataset, recoverDataset } from './recover-dataset.js';
import { estimateRowBytes } from './row-width.js';
import { FORMAT_VERSION_KEY, TRAJECTORY_FORMAT_VERSION } from './schema.js';
import { type ColumnSpace, observationColumnSpace, sharedColumnSpace } from './spaces.js';
import { TrajectoryBatchBuilder } from './trajectory-batch-builder.js';
import { TrajectoryLog } from './trajectory-log.js';

export const DATA_FILE = 'data/chunk-000/file-000.parquet';
export { dataFile };

const DEFAULT_ROW_GROUP_SIZE = 131_072;
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
   * thread, at close only). A large run encodes its complete trajectories on them while it is still writing, in files
   * of 262144 rows, and splits what is left at close across them.
   */
  encoderThreads?: number;
  /**
   * Rows of each data file encoded on the encoder threads while the run is still writing (default two row groups,
   * 262144 rows; 0 encodes everything at close). Only complete trajectories are encoded early, in their final order,
   * so the files are the same rows a close-time split would give, cut at other boundaries.
   */
  streamFileRows?: number;
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
 * and allocates no per-row objects) and writes a LeRobot-v3-style directory: the data files, meta/episodes and,
 * last, meta/info.json. A large run's complete trajectories are encoded on worker threads while it is still writing
 * (DataFileWriter); the rest is written on `close`. Every file is written to a temporary name, checked and renamed,
 * so a reader never sees a partial file, and a dataset without info.json is incomplete. `abort` keeps only complete
 * trajectories.
 */
export class ParquetDatasetSink implements DatasetSink {
  readonly options: ParquetDatasetSinkOptions;
  #state: State = 'new';
  #info: DatasetSinkInfo | undefined;
  #observation: ColumnSpace | undefined;
  #action: ColumnSpace | undefined;
  #builder: TrajectoryBatchBuilder | undefined;
  /** Which trajectory each row belongs to, with per-trajectory counts and reward sums. */
  readonly #log = new TrajectoryLog();
  #files: DataFileWriter | undefined;
  #previous: PreviousDataset | undefined;

  constructor(options: ParquetDatasetSinkOptions) {
    this.options = options;
  }

  async open(info: DatasetSinkInfo): Promise<void> {
    if (this.#state !== 'new') throw new TwinforgeError('DATASET_CLOSED', 'this sink was already opened');
    const dir = this.options.dir;
    // The spaces are checked first: an environment the layout cannot store is refused before anything is touched.
    const observation = observationColumnSpace(info.observationSpace, 'observation.state');
    const action = sharedColumnSpace(info.actionSpace, 'action');
    const occupied = existsSync(dir) && readdirSync(dir).length > 0;
    if (occupied && this.options.resume) this.#previous = await loadPrevious(dir, info);
    else if (occupied) {
      throw new TwinforgeError('DATASET_EXISTS', `${dir} already exists and is not empty; choose a new directory`, {
        details: { dir },
      });
    }
    this.#observation = observation;
    this.#action = action;
    const previous = this.#previous;
    const agents = previous ? [...previous.agents, ...info.agents] : info.agents;
    const builder = new TrajectoryBatchBuilder(observation, action, agents);
    if (previous) {
      builder.indexOffset = previous.totalFrames;
      builder.episodeOffset = previous.summaries.reduce((m, t) => Math.max(m, t.episodeIndex + 1), 0);
    }
    try {
      mkdirSync(join(dir, 'data', 'chunk-000'), { recursive: true });
      mkdirSync(join(dir, 'meta', 'episodes', 'chunk-000'), { recursive: true });
    } catch (error) {
      throw new TwinforgeError('DATASET_WRITE_FAILED', `cannot create ${dir}: ${String(error)}`, { cause: error });
    }
    this.#builder = builder;
    this.#files = new DataFileWriter({
      dir,
      schema: builder.schema,
      first: previous?.files.length ?? 0,
      write: this.#writeOptions(),
      threads: this.options.encoderThreads ?? Math.min(availableParallelism(), 4),
      streamRows: this.options.streamFileRows ?? 2 * (this.options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE),
      maxRows: () => this.#maxRowsPerFile(builder),
    });
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
    const log = this.#log;
    const row = builder.rows;
    builder.append(record);
    const agent = builder.agentAt(row);
    const episode = builder.episodeAt(row);
    if (log.ended(episode, agent)) {
      builder.dropLast();
      throw new TwinforgeError(
        'DATASET_SCHEMA_MISMATCH',
        `is_last: episode ${record.episodeIndex} of ${record.agentId} already had its last row; a trajectory has one`,
        { details: { field: 'is_last', episodeIndex: record.episodeIndex, agentId: record.agentId } },
      );
    }
    const isLast = builder.isLastAt(row);
    // Sum what is stored (float32), so metadata agrees with any reader's sum of `next.reward`.
    log.add(episode, agent, builder.scenarioAt(row), builder.rewardAt(row), isLast);
    const files = this.#files as DataFileWriter;
    files.rowsBuffered(row + 1);
    if (isLast) files.stream(builder, log);
  }

  async close(): Promise<DatasetSinkResult> {
    return this.#finish(false);
  }

  async abort(_reason: unknown): Promise<DatasetSinkResult> {
    return this.#finish(true);
  }

  /** Footer metadata and row group size of every file this sink writes. */
  #writeOptions(): { metadata: Map<string, string>; rowGroupSize?: number } {
    const rowGroupSize = this.options.rowGroupSize;
    const metadata = new Map([[FORMAT_VERSION_KEY, TRAJECTORY_FORMAT_VERSION]]);
    return { metadata, ...(rowGroupSize === undefined ? {} : { rowGroupSize }) };
  }

  /** maxRowsPerFile, and maxFileBytes over the estimated width of a row with the longest ids seen so far. */
  #maxRowsPerFile(builder: TrajectoryBatchBuilder): number {
    const observation = this.#observation as ColumnSpace;
    const rowBytes = estimateRowBytes(
      observation.kind === 'box' ? observation.width : 1,
      this.#action as ColumnSpace,
      builder.agents.values,
      builder.scenarios.values,
    );
    const byBytes = Math.max(1, Math.floor((this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES) / rowBytes));
    return Math.min(this.options.maxRowsPerFile ?? 1_048_576, byBytes);
  }

  async #finish(aborting: boolean): Promise<DatasetSinkResult> {
    if (this.#state !== 'open') {
      throw new TwinforgeError('DATASET_CLOSED', this.#state === 'new' ? 'close() before open()' : 'already closed');
    }
    this.#state = 'closed';
    const builder = this.#builder as TrajectoryBatchBuilder;
    const files = this.#files as DataFileWriter;
    const log = this.#log;
    const info = this.#info as DatasetSinkInfo;
    const dir = this.options.dir;

    // Group rows by trajectory (in order of first appearance), keeping arrival (= frame) order inside each; on
    // abort, drop trajectories that never reached their last row.
    const { order, start, kept } = log.order((t) => log.complete[t] === true || !aborting);
    const total = order.length;
    // The files streamed during the run hold the complete prefix, which no later row nor an abort can move.
    const streamed = log.gatherPrefix().subarray(0, files.streamedRows);
    for (let k = 0; k < streamed.length; k++) {
      if (order[k] !== streamed[k]) {
        await files.close();
        throw new TwinforgeError(
          'DATASET_WRITE_FAILED',
          `row ${k}: the streamed data files disagree with the final row order`,
        );
      }
    }
    builder.reorder(order);

    const previous = this.#previous;
    const base = builder.indexOffset;
    const summaries: TrajectorySummary[] = previous ? [...previous.summaries] : [];
    for (let t = 0; t < log.trajectories; t++) {
      if (!kept[t]) continue;
      const steps = log.steps[t] as number;
      const sum = log.reward[t] as number;
      summaries.push({
        trajectoryIndex: summaries.length,
        episodeIndex: log.episode[t] as number,
        agentIndex: log.agent[t] as number,
        agentId: builder.agents.values[log.agent[t] as number] as string,
        length: log.length[t] as number,
        fromIndex: base + (start[t] as number),
        toIndex: base + (start[t + 1] as number),
        rewardSum: sum,
        rewardMean: steps > 0 ? sum / steps : 0,
        scenarioId: builder.scenarios.values[log.scenario[t] as number] as string,
        seed: info.seed,
      });
    }

    const footer = this.#writeOptions().metadata;
    let newStats: Record<string, FeatureStats> = {};
    // A resumed run with nothing new to keep adds no (empty) data file. The statistics are computed while the
    // encoder threads compress the last files.
    const fresh = await files.finish(builder, total, { emptyFile: previous === undefined }, () => {
      newStats = builder.stats();
    });
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
      const stats = previous ? mergeStatsFiles(previous.stats, newStats) : newStats;
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
