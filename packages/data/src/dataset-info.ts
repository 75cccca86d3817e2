import { DataType, type Field, type Schema } from 'apache-arrow';
import type { WrittenFile } from './parquet-file.js';
import { ACTION_COLUMN, OBSERVATION_COLUMN } from './schema.js';
import type { ColumnSpace } from './spaces.js';

export const DATA_PATH_TEMPLATE = 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';
export const EPISODES_PATH_TEMPLATE = 'meta/episodes/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';

export interface FeatureInfo {
  dtype: string;
  shape: number[];
  names: string[] | null;
}

/** The `trajectory` object of info.json: what LeRobot's keys cannot say about a twinforge dataset. */
export interface TrajectoryInfo {
  format_version: string;
  dataset_id: string;
  run_id: string;
  seed: number;
  environment: string;
  observation_space: unknown;
  action_space: unknown;
  agents: string[];
  /** Row t holds s_t, a_t and the reward r_{t+1} that followed (`next.reward`). */
  alignment: 'SAR';
  total_trajectories: number;
  /** False when the run was aborted: only its complete trajectories were kept. */
  complete: boolean;
  files: { data: WrittenFile[]; episodes: WrittenFile[] };
}

/** meta/info.json: LeRobot v3 keys plus `trajectory`. */
export interface DatasetInfo {
  codebase_version: 'v3.0';
  robot_type: string | null;
  total_episodes: number;
  total_frames: number;
  total_tasks: number;
  chunks_size: number;
  data_files_size_in_mb: number;
  fps: number;
  splits: Record<string, string>;
  data_path: string;
  video_path: string | null;
  features: Record<string, FeatureInfo>;
  trajectory: TrajectoryInfo;
}

/** LeRobot dtype of a column: a vector column has its items' dtype (float32, or int64 for MultiDiscrete actions). */
function dtypeOf(type: DataType): string {
  if (DataType.isFixedSizeList(type)) return dtypeOf((type.children[0] as Field).type);
  const s = String(type);
  const map: Record<string, string> = {
    Int64: 'int64',
    Float64: 'float64',
    Float32: 'float32',
    Bool: 'bool',
    Utf8: 'string',
  };
  return map[s] ?? s;
}

/**
 * LeRobot `features` from the Arrow schema: vectors (Box observations and actions, MultiDiscrete / MultiBinary
 * actions) get their width as shape, scalars shape [1].
 */
export function featuresOf(schema: Schema, observation: ColumnSpace, action: ColumnSpace): Record<string, FeatureInfo> {
  const out: Record<string, FeatureInfo> = {};
  for (const field of schema.fields) {
    let shape = [1];
    if (field.name === OBSERVATION_COLUMN && observation.kind === 'box') shape = [observation.width];
    if (field.name === ACTION_COLUMN && action.kind !== 'discrete') shape = [action.width];
    out[field.name] = { dtype: dtypeOf(field.type), shape, names: null };
  }
  return out;
}
