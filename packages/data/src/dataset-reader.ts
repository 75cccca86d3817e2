import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { type Schema, Table } from 'apache-arrow';
import { type BatchReadOptions, DatasetBatches, type RowRange } from './dataset-batches.js';
import type { DatasetInfo } from './dataset-info.js';
import type { FeatureStats } from './feature-stats.js';
import { INFO_FILE, STATS_FILE } from './parquet-dataset-sink.js';
import type { WrittenFile } from './parquet-file.js';
import { readParquetFile } from './parquet-file.js';
import { schemaDifference, trajectorySchema } from './schema.js';
import { observationColumnSpace, sharedColumnSpace } from './spaces.js';

function mismatch(message: string, details: Record<string, unknown>): TwinforgeError {
  return new TwinforgeError('DATASET_METADATA_MISMATCH', message, { details });
}

/**
 * Opens a dataset directory written by ParquetDatasetSink. `open` validates before anything is returned: info.json
 * exists and parses; every listed file has both 'PAR1' magics, its footer and the recorded size; the data schema is
 * the one the recorded spaces imply; row counts agree between footers, info.json and meta/episodes.
 */
export class DatasetReader {
  private constructor(
    readonly dir: string,
    readonly info: DatasetInfo,
    readonly schema: Schema,
    readonly data: Table,
    readonly episodes: Table,
  ) {}

  static async open(dir: string): Promise<DatasetReader> {
    let text: string;
    try {
      text = readFileSync(join(dir, INFO_FILE), 'utf8');
    } catch (error) {
      throw new TwinforgeError('DATASET_NOT_FOUND', `no dataset at ${dir} (${INFO_FILE} is missing)`, {
        cause: error,
        details: { dir },
      });
    }
    let info: DatasetInfo;
    try {
      info = JSON.parse(text) as DatasetInfo;
    } catch (error) {
      throw new TwinforgeError('DATASET_CORRUPT', `${INFO_FILE} is not valid JSON`, { cause: error, details: { dir } });
    }
    const traj = info.trajectory;
    if (typeof info !== 'object' || info === null || typeof traj !== 'object' || traj === null || !traj.files) {
      throw new TwinforgeError('DATASET_CORRUPT', `${INFO_FILE} has no trajectory section`, { details: { dir } });
    }
    const expected = trajectorySchema(
      observationColumnSpace(traj.observation_space, 'observation.state'),
      sharedColumnSpace(traj.action_space, 'action'),
    );

    const readAll = async (files: readonly WrittenFile[]) => {
      const tables: Table[] = [];
      for (const file of files) {
        const { table, rows } = await readParquetFile(dir, file.path, {
          bytes: file.bytes,
          footerOffset: file.footerOffset,
        });
        if (rows !== file.rows) {
          throw mismatch(`${file.path} holds ${rows} rows but ${INFO_FILE} records ${file.rows}`, {
            file: file.path,
            rows,
            recorded: file.rows,
          });
        }
        tables.push(table);
      }
      return tables;
    };

    const dataTables = await readAll(traj.files.data);
    for (const [i, table] of dataTables.entries()) {
      const diff = schemaDifference(table.schema, expected);
      if (diff !== undefined) {
        const file = traj.files.data[i]?.path;
        throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${file}: ${diff}`, { details: { file } });
      }
    }
    const dataSchema = dataTables[0]?.schema ?? expected;
    let data: Table;
    try {
      data = new Table(
        dataSchema,
        dataTables.flatMap((t) => t.batches),
      );
    } catch (error) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `the data files do not share one schema: ${String(error)}`, {
        cause: error,
      });
    }
    if (data.numRows !== info.total_frames) {
      throw mismatch(`the data files hold ${data.numRows} rows but total_frames is ${info.total_frames}`, {
        rows: data.numRows,
        totalFrames: info.total_frames,
      });
    }
    const episodeTables = await readAll(traj.files.episodes);
    const first = episodeTables[0];
    const episodes = first
      ? new Table(
          first.schema,
          episodeTables.flatMap((t) => t.batches),
        )
      : new Table();
    if (episodes.numRows !== traj.total_trajectories) {
      throw mismatch(
        `meta/episodes holds ${episodes.numRows} trajectories but total_trajectories is ${traj.total_trajectories}`,
        { rows: episodes.numRows, recorded: traj.total_trajectories },
      );
    }
    let lengthSum = 0;
    const lengths = episodes.getChild('length');
    for (let i = 0; i < episodes.numRows; i++) lengthSum += Number(lengths?.get(i) ?? 0);
    if (lengthSum !== data.numRows) {
      throw mismatch(`meta/episodes lengths add up to ${lengthSum} rows but the data holds ${data.numRows}`, {
        lengths: lengthSum,
        rows: data.numRows,
      });
    }
    const episodeIds = new Set<number>();
    const episodeCol = episodes.getChild('episode_index');
    for (let i = 0; i < episodes.numRows; i++) episodeIds.add(Number(episodeCol?.get(i)));
    if (episodeIds.size !== info.total_episodes) {
      throw mismatch(`meta/episodes has ${episodeIds.size} episodes but total_episodes is ${info.total_episodes}`, {
        episodes: episodeIds.size,
        recorded: info.total_episodes,
      });
    }
    return new DatasetReader(dir, info, dataSchema, data, episodes);
  }

  /** meta/stats.json: per-feature min, max, mean, std and count. */
  stats(): Record<string, FeatureStats> {
    try {
      return JSON.parse(readFileSync(join(this.dir, STATS_FILE), 'utf8')) as Record<string, FeatureStats>;
    } catch (error) {
      throw new TwinforgeError('DATASET_CORRUPT', `${STATS_FILE} is missing or not valid JSON`, {
        cause: error,
        details: { dir: this.dir },
      });
    }
  }

  /** All rows, in data order (trajectories contiguous, frames in order). */
  table(): Table {
    return this.data;
  }

  /**
   * One trajectory's rows (an agent in an environment episode), or all agents' rows of the episode when `agentId` is
   * omitted (trajectory after trajectory).
   */
  episode(episodeIndex: number, agentId?: string): Table {
    const filter: TrajectoryFilter = { episodes: [episodeIndex] };
    if (agentId !== undefined) filter.agents = [agentId];
    const table = this.select(filter);
    if (table.numRows === 0) {
      throw new TwinforgeError(
        'DATASET_NOT_FOUND',
        `no trajectory for episode ${episodeIndex}${agentId === undefined ? '' : ` and agent ${agentId}`}`,
        { details: { episodeIndex, agentId } },
      );
    }
    return table;
  }

  /**
   * The rows of every trajectory that matches all given criteria, in data order. Selection uses meta/episodes' index
   * ranges, so rows are sliced, not scanned.
   */
  select(filter: TrajectoryFilter): Table {
    const parts = this.#ranges(filter).map((r) => this.data.slice(r.from, r.to));
    return new Table(
      this.schema,
      parts.flatMap((t) => t.batches),
    );
  }

  /**
   * The rows `select(filter)` returns, as an async iterator of RecordBatches decoded from disk one row group at a
   * time; row groups that hold no selected trajectory are skipped without decoding. The iterator's `rowGroupsRead`
   * and `rowGroupsSkipped` say how much was decoded.
   */
  batches(options: BatchReadOptions = {}): DatasetBatches {
    const ranges = this.#ranges(options).sort((a, b) => a.from - b.from);
    const names = new Set(this.schema.fields.map((f) => f.name));
    const unknown = options.columns?.filter((c) => !names.has(c)) ?? [];
    if (unknown.length > 0) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `no column ${unknown.join(', ')} in ${this.dir}`, {
        details: { columns: unknown },
      });
    }
    return new DatasetBatches(this.dir, this.info.trajectory.files.data, ranges, options.batchRows, options.columns);
  }

  /** meta/episodes' index ranges of the trajectories matching every given criterion, in meta/episodes order. */
  #ranges(filter: TrajectoryFilter): RowRange[] {
    const ep = this.episodes.getChild('episode_index');
    const agent = this.episodes.getChild('agent_id');
    const scenario = this.episodes.getChild('scenario_id');
    const from = this.episodes.getChild('dataset_from_index');
    const to = this.episodes.getChild('dataset_to_index');
    const episodes = filter.episodes && new Set(filter.episodes);
    const agents = filter.agents && new Set(filter.agents);
    const scenarios = filter.scenarios && new Set(filter.scenarios);
    const ranges: RowRange[] = [];
    for (let i = 0; i < this.episodes.numRows; i++) {
      if (episodes && !episodes.has(Number(ep?.get(i)))) continue;
      if (agents && !agents.has(agent?.get(i) as string)) continue;
      if (scenarios && !scenarios.has(scenario?.get(i) as string)) continue;
      ranges.push({ from: Number(from?.get(i)), to: Number(to?.get(i)) });
    }
    return ranges;
  }
}

/** Criteria for DatasetReader.select; omitted keys match everything. */
export interface TrajectoryFilter {
  episodes?: readonly number[];
  agents?: readonly string[];
  scenarios?: readonly string[];
}
