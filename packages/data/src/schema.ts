import { TwinforgeError } from '@twinforge/core';
import { Bool, type DataType, Field, FixedSizeList, Float32, Float64, Int64, Schema, Utf8 } from 'apache-arrow';
import type { ColumnSpace } from './spaces.js';

/** Version of the twinforge trajectory layout; written to info.json and the Parquet footer. */
export const TRAJECTORY_FORMAT_VERSION = '1.0';
/** Footer key-value metadata key that carries the format version. */
export const FORMAT_VERSION_KEY = 'twinforge.trajectory_format_version';

export const OBSERVATION_COLUMN = 'observation.state';
export const ACTION_COLUMN = 'action';

function vectorType(width: number): FixedSizeList<Float32> {
  return new FixedSizeList(width, new Field('item', new Float32(), false));
}

/**
 * The Arrow type of the action column: FixedSizeList<float32, m> for Box, int64 for Discrete and
 * FixedSizeList<int64, k> for MultiDiscrete(nvec of length k) and MultiBinary(k): every discrete action is int64, so
 * readers handle one integer type (Parquet has no 8-bit physical type anyway: an int8 column is stored as INT32).
 */
export function actionType(space: ColumnSpace): DataType {
  if (space.kind === 'box') return vectorType(space.width);
  if (space.kind === 'discrete') return new Int64();
  return new FixedSizeList(space.width, new Field('item', new Int64(), false));
}

/**
 * The long layout of DESIGN.md: one row per agent-step, T+1 rows per trajectory. Column order is part of the format.
 */
export function trajectorySchema(observation: ColumnSpace, action: ColumnSpace): Schema {
  if (observation.kind !== 'box') {
    throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${OBSERVATION_COLUMN}: the observation space must be a Box`, {
      details: { field: OBSERVATION_COLUMN },
    });
  }
  return new Schema([
    new Field('index', new Int64(), false),
    new Field('episode_index', new Int64(), false),
    new Field('frame_index', new Int64(), false),
    new Field('timestamp', new Float64(), false),
    new Field('task_index', new Int64(), false),
    // Position in the environment's own episode/step counters; equal to episode_index/frame_index with one
    // environment, and what tells rows apart when several vectorised environments feed one dataset.
    new Field('env_episode_index', new Int64(), false),
    new Field('env_step', new Int64(), false),
    new Field('agent_index', new Int64(), false),
    new Field('agent_id', new Utf8(), false),
    new Field(OBSERVATION_COLUMN, vectorType(observation.width), false),
    new Field(ACTION_COLUMN, actionType(action), false),
    new Field('next.reward', new Float32(), false),
    new Field('next.done', new Bool(), false),
    new Field('next.truncated', new Bool(), false),
    new Field('is_first', new Bool(), false),
    new Field('is_last', new Bool(), false),
    new Field('is_terminal', new Bool(), false),
    new Field('scenario_id', new Utf8(), false),
  ]);
}

/** Field-by-field comparison of names, types (including list widths and children) and nullability. */
export function schemaDifference(actual: Schema, expected: Schema): string | undefined {
  if (actual.fields.length !== expected.fields.length) {
    return `expected ${expected.fields.length} columns, got ${actual.fields.length}`;
  }
  for (let i = 0; i < expected.fields.length; i++) {
    const a = actual.fields[i] as Field;
    const e = expected.fields[i] as Field;
    if (a.name !== e.name) return `column ${i}: expected ${e.name}, got ${a.name}`;
    if (String(a.type) !== String(e.type)) return `column ${e.name}: expected ${String(e.type)}, got ${String(a.type)}`;
    if (a.nullable !== e.nullable) return `column ${e.name}: expected nullable=${e.nullable}, got ${a.nullable}`;
  }
  return undefined;
}
