import type { StepRecord } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import {
  Bool,
  type Data,
  type Field,
  type FixedSizeList,
  Float32,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  type Schema,
  Struct,
  Utf8,
} from 'apache-arrow';
import { type FeatureStats, FeatureStatsAccumulator } from './feature-stats.js';
import { ACTION_COLUMN, OBSERVATION_COLUMN, trajectorySchema } from './schema.js';
import type { ColumnSpace } from './spaces.js';

const INITIAL_CAPACITY = 1024;

/**
 * A StepRecord that may name the environment's own episode and step (vectorised runs). Without them the row is from
 * a single environment, whose counters are the run's episode and frame indices.
 */
export type EnvStepRecord = StepRecord & { envEpisodeIndex?: number; envStep?: number };

function grow<T extends Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array>(
  array: T,
  needed: number,
): T {
  if (needed <= array.length) return array;
  let size = Math.max(array.length * 2, INITIAL_CAPACITY);
  while (size < needed) size *= 2;
  const Ctor = array.constructor as new (n: number) => T;
  const next = new Ctor(size);
  next.set(array as never);
  return next;
}

function mismatch(field: string, message: string, details: Record<string, unknown> = {}): TwinforgeError {
  return new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: ${message}`, { details: { field, ...details } });
}

function numericInvalid(field: string, value: number, where: Record<string, unknown>): TwinforgeError {
  return new TwinforgeError('NUMERIC_INVALID', `${field} must be finite, got ${String(value)}`, {
    details: { field, value, ...where },
  });
}

/** Checks a vector's values are finite numbers; typed arrays skip the per-value type check. */
function checkVector(values: ArrayLike<number>, width: number, field: string, where: Record<string, unknown>): void {
  const typed = values instanceof Float32Array || values instanceof Float64Array;
  for (let j = 0; j < width; j++) {
    const v = values[j] as number;
    if (!typed && typeof v !== 'number') throw mismatch(field, `value ${j} is not a number`, where);
    // v - v is 0 for every finite number and NaN for NaN and ±Infinity.
    if (v - v !== 0) throw numericInvalid(`${field}[${j}]`, v, where);
  }
}

/** Interns strings into small integer ids so rows store an Int32 instead of a string object. */
class StringTable {
  readonly values: string[] = [];
  readonly #ids = new Map<string, number>();
  id(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#ids.set(value, id);
    }
    return id;
  }
}

/**
 * Column builders on growable typed arrays for the trajectory layout: `append` copies one StepRecord into the
 * columns (no per-row objects are kept), validating it against the spaces; `build` makes one Arrow RecordBatch.
 */
export class TrajectoryBatchBuilder {
  readonly schema: Schema;
  readonly agents = new StringTable();
  readonly scenarios = new StringTable();
  readonly #obsWidth: number;
  readonly #action: ColumnSpace;
  readonly #actWidth: number;
  #rows = 0;
  /**
   * Added to `index` and to every record's episode index: a resumed dataset continues after the rows and episodes
   * already on disk while the run that feeds it counts from 0 again.
   */
  indexOffset = 0;
  episodeOffset = 0;
  /** Safe integers, kept as doubles so the hot path does no BigInt conversion. */
  #episode = new Float64Array(0);
  #frame = new Float64Array(0);
  #envEpisode = new Float64Array(0);
  #envStep = new Float64Array(0);
  #timestamp = new Float64Array(0);
  #agent = new Int32Array(0);
  #scenario = new Int32Array(0);
  #obs = new Float32Array(0);
  #actF = new Float32Array(0);
  #actI = new BigInt64Array(0);
  #reward = new Float32Array(0);
  /** Bit flags per row: 1 done, 2 truncated, 4 first, 8 last, 16 terminal. */
  #flags = new Uint8Array(0);

  constructor(observation: ColumnSpace, action: ColumnSpace, agents: readonly string[] = []) {
    if (observation.kind !== 'box') throw mismatch(OBSERVATION_COLUMN, 'the observation space must be a Box');
    this.schema = trajectorySchema(observation, action);
    this.#obsWidth = observation.width;
    this.#action = action;
    this.#actWidth = action.kind === 'box' ? action.width : 1;
    for (const a of agents) this.agents.id(a);
  }

  get rows(): number {
    return this.#rows;
  }

  /** Validates the record and copies it into the columns. Throws before touching any column on a bad record. */
  append(record: EnvStepRecord): void {
    const where = { episodeIndex: record.episodeIndex, frameIndex: record.frameIndex, agentId: record.agentId };
    const w = this.#obsWidth;
    const obs = record.observation as ArrayLike<number> | null | undefined;
    if (obs === null || obs === undefined || typeof obs !== 'object' || typeof obs.length !== 'number') {
      throw mismatch(OBSERVATION_COLUMN, `expected an array of ${w} numbers, got ${typeof obs}`, where);
    }
    if (obs.length !== w) {
      throw mismatch(OBSERVATION_COLUMN, `expected ${w} values, got ${obs.length}`, { ...where, length: obs.length });
    }
    checkVector(obs, w, OBSERVATION_COLUMN, where);
    if (!Number.isFinite(record.reward)) throw numericInvalid('next.reward', record.reward, where);
    if (!Number.isFinite(record.timestamp)) throw numericInvalid('timestamp', record.timestamp, where);
    if (!Number.isSafeInteger(record.episodeIndex) || record.episodeIndex < 0) {
      throw mismatch('episode_index', `expected a non-negative integer, got ${record.episodeIndex}`, where);
    }
    if (!Number.isSafeInteger(record.frameIndex) || record.frameIndex < 0) {
      throw mismatch('frame_index', `expected a non-negative integer, got ${record.frameIndex}`, where);
    }
    const envEpisode = (record.envEpisodeIndex ?? record.episodeIndex) + this.episodeOffset;
    const envStep = record.envStep ?? record.frameIndex;
    if (!Number.isSafeInteger(envEpisode) || envEpisode < 0) {
      throw mismatch('env_episode_index', `expected a non-negative integer, got ${envEpisode}`, where);
    }
    if (!Number.isSafeInteger(envStep) || envStep < 0) {
      throw mismatch('env_step', `expected a non-negative integer, got ${envStep}`, where);
    }
    if (typeof record.agentId !== 'string') throw mismatch('agent_id', 'expected a string', where);
    if (typeof record.scenarioId !== 'string') throw mismatch('scenario_id', 'expected a string', where);
    const action = record.action;
    const noAction = action === null || action === undefined;
    if (noAction && !record.isLast)
      throw mismatch(ACTION_COLUMN, 'missing action on a row that is not the last', where);
    let discrete = 0n;
    if (!noAction) {
      if (this.#action.kind === 'discrete') {
        const a = this.#action;
        const value = typeof action === 'bigint' ? Number(action) : action;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < a.start || value >= a.start + a.n) {
          throw mismatch(
            ACTION_COLUMN,
            `expected an integer in [${a.start}, ${a.start + a.n}), got ${String(action)}`,
            where,
          );
        }
        discrete = BigInt(value);
      } else {
        const arr = action as ArrayLike<number>;
        if (typeof arr !== 'object' || typeof arr.length !== 'number') {
          throw mismatch(ACTION_COLUMN, `expected an array of ${this.#actWidth} numbers, got ${typeof action}`, where);
        }
        if (arr.length !== this.#actWidth) {
          throw mismatch(ACTION_COLUMN, `expected ${this.#actWidth} values, got ${arr.length}`, where);
        }
        checkVector(arr, arr.length, ACTION_COLUMN, where);
      }
    }

    const i = this.#rows;
    this.#ensure(i + 1);
    this.#episode[i] = record.episodeIndex + this.episodeOffset;
    this.#frame[i] = record.frameIndex;
    this.#envEpisode[i] = envEpisode;
    this.#envStep[i] = envStep;
    this.#timestamp[i] = record.timestamp;
    this.#agent[i] = this.agents.id(record.agentId);
    this.#scenario[i] = this.scenarios.id(record.scenarioId);
    this.#obs.set(obs, i * w);
    if (this.#action.kind === 'discrete') this.#actI[i] = discrete;
    else if (noAction) this.#actF.fill(0, i * this.#actWidth, (i + 1) * this.#actWidth);
    else this.#actF.set(action as ArrayLike<number>, i * this.#actWidth);
    this.#reward[i] = record.reward;
    this.#flags[i] =
      (record.done ? 1 : 0) |
      (record.truncated ? 2 : 0) |
      (record.isFirst ? 4 : 0) |
      (record.isLast ? 8 : 0) |
      (record.isTerminal ? 16 : 0);
    this.#rows = i + 1;
  }

  #ensure(n: number): void {
    this.#episode = grow(this.#episode, n);
    this.#frame = grow(this.#frame, n);
    this.#envEpisode = grow(this.#envEpisode, n);
    this.#envStep = grow(this.#envStep, n);
    this.#timestamp = grow(this.#timestamp, n);
    this.#agent = grow(this.#agent, n);
    this.#scenario = grow(this.#scenario, n);
    this.#obs = grow(this.#obs, n * this.#obsWidth);
    if (this.#action.kind === 'discrete') this.#actI = grow(this.#actI, n);
    else this.#actF = grow(this.#actF, n * this.#actWidth);
    this.#reward = grow(this.#reward, n);
    this.#flags = grow(this.#flags, n);
  }

  /** Per-row accessors for metadata (episode statistics) without materialising rows. */
  episodeAt(i: number): number {
    return this.#episode[i] as number;
  }
  agentAt(i: number): number {
    return this.#agent[i] as number;
  }
  scenarioAt(i: number): number {
    return this.#scenario[i] as number;
  }
  rewardAt(i: number): number {
    return this.#reward[i] as number;
  }
  isLastAt(i: number): boolean {
    return ((this.#flags[i] as number) & 8) !== 0;
  }

  /**
   * meta/stats.json content: observation over every row; action and reward over rows that have an action (the last
   * row of a trajectory holds zeros); timestamp over every row.
   */
  stats(): Record<string, FeatureStats> {
    const obs = new FeatureStatsAccumulator(this.#obsWidth);
    const act = new FeatureStatsAccumulator(this.#actWidth);
    const reward = new FeatureStatsAccumulator(1);
    const time = new FeatureStatsAccumulator(1);
    const actValues = this.#action.kind === 'discrete' ? this.#actI : this.#actF;
    for (let i = 0; i < this.#rows; i++) {
      obs.add(this.#obs, i);
      time.add(this.#timestamp, i);
      if (((this.#flags[i] as number) & 8) !== 0) continue;
      act.add(actValues, i);
      reward.add(this.#reward, i);
    }
    return {
      [OBSERVATION_COLUMN]: obs.result(),
      [ACTION_COLUMN]: act.result(),
      'next.reward': reward.result(),
      timestamp: time.result(),
    };
  }

  /**
   * Rewrites the columns to hold rows `order[0], order[1], ...` (a subset in any order), renumbering `index` from 0.
   * The sink uses it to make each trajectory's rows contiguous and to drop incomplete trajectories on abort.
   */
  reorder(order: Int32Array): void {
    const n = order.length;
    let identity = n === this.#rows;
    for (let k = 0; identity && k < n; k++) identity = order[k] === k;
    if (identity) return;
    const w = this.#obsWidth;
    const aw = this.#actWidth;
    const pick = <T extends BigInt64Array | Float64Array | Int32Array | Float32Array | Uint8Array>(a: T): T => {
      const Ctor = a.constructor as new (n: number) => T;
      const out = new Ctor(Math.max(n, 1));
      for (let k = 0; k < n; k++) out[k] = a[order[k] as number] as never;
      return out;
    };
    const pickVec = (a: Float32Array, width: number): Float32Array<ArrayBuffer> => {
      const out = new Float32Array(Math.max(n * width, 1));
      for (let k = 0; k < n; k++) {
        const i = order[k] as number;
        out.set(a.subarray(i * width, (i + 1) * width), k * width);
      }
      return out;
    };
    this.#episode = pick(this.#episode);
    this.#frame = pick(this.#frame);
    this.#envEpisode = pick(this.#envEpisode);
    this.#envStep = pick(this.#envStep);
    this.#timestamp = pick(this.#timestamp);
    this.#agent = pick(this.#agent);
    this.#scenario = pick(this.#scenario);
    this.#obs = pickVec(this.#obs, w);
    if (this.#action.kind === 'discrete') this.#actI = pick(this.#actI);
    else this.#actF = pickVec(this.#actF, aw);
    this.#reward = pick(this.#reward);
    this.#flags = pick(this.#flags);
    this.#rows = n;
  }

  /**
   * One RecordBatch of rows `from` until `to` (default: all rows so far). It views the builder's arrays without copying: rows already appended are
   * never modified (appends write past them, `reorder` allocates new arrays), so the builder can keep appending.
   */
  build(from = 0, to: number = this.#rows): RecordBatch {
    const n = to - from;
    const fields = this.schema.fields;
    const int64 = (a: BigInt64Array) => makeData({ type: new Int64(), length: n, data: a });
    const fromDoubles = (a: Float64Array | Int32Array) => {
      const out = new BigInt64Array(n);
      for (let r = 0; r < n; r++) out[r] = BigInt(a[from + r] as number);
      return int64(out);
    };
    const index = new BigInt64Array(n);
    for (let r = 0; r < n; r++) index[r] = BigInt(this.indexOffset + from + r);
    const bool = (bit: number) => {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let r = 0; r < n; r++) if ((this.#flags[from + r] as number) & bit) bits[r >> 3] |= 1 << (r & 7);
      return makeData({ type: new Bool(), length: n, data: bits });
    };
    const vector = (column: number, values: Float32Array, width: number) => {
      const type = (fields[column] as Field).type as FixedSizeList<Float32>;
      const child = makeData({
        type: new Float32(),
        length: n * width,
        data: values.subarray(from * width, to * width),
      });
      return makeData({ type, length: n, child });
    };
    const action: Data =
      this.#action.kind === 'discrete' ? int64(this.#actI.subarray(from, to)) : vector(10, this.#actF, this.#actWidth);
    const children: Data[] = [
      int64(index),
      fromDoubles(this.#episode),
      fromDoubles(this.#frame),
      makeData({ type: new Float64(), length: n, data: this.#timestamp.subarray(from, to) }),
      makeData({ type: new Int64(), length: n, data: new BigInt64Array(n) }),
      fromDoubles(this.#envEpisode),
      fromDoubles(this.#envStep),
      fromDoubles(this.#agent),
      utf8(this.agents.values, this.#agent.subarray(from, to), n),
      vector(9, this.#obs, this.#obsWidth),
      action,
      makeData({ type: new Float32(), length: n, data: this.#reward.subarray(from, to) }),
      bool(1),
      bool(2),
      bool(4),
      bool(8),
      bool(16),
      utf8(this.scenarios.values, this.#scenario.subarray(from, to), n),
    ];
    return new RecordBatch(this.schema, makeData({ type: new Struct(fields), length: n, children }));
  }
}

/** A Utf8 column from interned strings: encodes each distinct string once, then copies bytes per row. */
function utf8(values: readonly string[], ids: Int32Array, n: number): Data<Utf8> {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => encoder.encode(v));
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += (encoded[ids[r] as number] as Uint8Array).length;
    offsets[r + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let r = 0; r < n; r++) bytes.set(encoded[ids[r] as number] as Uint8Array, offsets[r] as number);
  return makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes });
}
