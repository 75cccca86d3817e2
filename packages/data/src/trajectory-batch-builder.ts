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

function grow<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  const Ctor = array.constructor as new (n: number) => T;
  const next = new Ctor(size);
  next.set(array as never);
  return next;
}

/** Where a bad record sits, for error details; built only when a check fails, never on the hot path. */
function whereOf(record: StepRecord): Record<string, unknown> {
  return { episodeIndex: record.episodeIndex, frameIndex: record.frameIndex, agentId: record.agentId };
}

function mismatch(field: string, message: string, details: Record<string, unknown> = {}): TwinforgeError {
  return new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: ${message}`, { details: { field, ...details } });
}

function numericInvalid(field: string, value: number, where: Record<string, unknown>): TwinforgeError {
  return new TwinforgeError('NUMERIC_INVALID', `${field} must be finite, got ${String(value)}`, {
    details: { field, value, ...where },
  });
}

/**
 * Copies a vector into `out` at `offset` as float32, checking each stored value is finite: checking what was stored
 * also catches a finite float64 that overflows float32 to ±Infinity. It writes only the slot of a row not yet
 * counted, so a record rejected half-way leaves no visible trace. Typed arrays skip the per-value type check.
 */
function copyVector(
  values: ArrayLike<number>,
  width: number,
  out: Float32Array,
  offset: number,
  field: string,
  record: StepRecord,
): void {
  if (values instanceof Float32Array) {
    for (let j = 0; j < width; j++) {
      const v = values[j] as number;
      // v - v is 0 for every finite number and NaN for NaN and ±Infinity.
      if (v - v !== 0) throw numericInvalid(`${field}[${j}]`, v, whereOf(record));
      out[offset + j] = v;
    }
    return;
  }
  const typed = values instanceof Float64Array;
  for (let j = 0; j < width; j++) {
    const v = values[j] as number;
    if (!typed && typeof v !== 'number') throw mismatch(field, `value ${j} is not a number`, whereOf(record));
    out[offset + j] = v;
    const stored = out[offset + j] as number;
    if (stored - stored !== 0) throw numericInvalid(`${field}[${j}]`, v, whereOf(record));
  }
}

/**
 * Copies a MultiDiscrete / MultiBinary action into `out` at `offset` (as doubles, like the other integer columns),
 * checking entry j is an integer in `low[j] .. low[j] + count[j] - 1`. Like copyVector it writes only the slot of a
 * row not yet counted, so a record rejected half-way leaves nothing behind. Accepts any array-like of numbers
 * (Int32Array from @twinforge/rl's MultiDiscrete, Int8Array from MultiBinary, plain arrays) or of bigints.
 */
function copyIntegers(
  values: ArrayLike<number | bigint>,
  low: Float64Array,
  count: Float64Array,
  out: Float64Array,
  offset: number,
  record: StepRecord,
): void {
  const width = low.length;
  for (let j = 0; j < width; j++) {
    const raw = values[j];
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    const k = (v as number) - (low[j] as number);
    // The range test is false for NaN and undefined (a missing entry); Number.isInteger rejects fractions and
    // non-numbers that the subtraction coerced (a string, a boolean).
    if (!(k >= 0 && k < (count[j] as number)) || !Number.isInteger(v)) {
      const lo = low[j] as number;
      throw mismatch(
        `${ACTION_COLUMN}[${j}]`,
        `expected an integer in [${lo}, ${lo + (count[j] as number)}), got ${String(raw)}`,
        whereOf(record),
      );
    }
    out[offset + j] = v;
  }
}

/** Whether this platform stores a BigInt64 as (low uint32, high uint32), which lets int64 columns skip BigInt. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * An int64 column of the `n` safe integers `source[from..from+n)` (doubles or int32), or of `from, from+1, …` without
 * a source. Written as two uint32 words per value (two's complement, so negative discrete actions work too) into a
 * zeroed array, so no BigInt is allocated per row and the high word is only touched for values outside [0, 2^32).
 * Each source type has its own loop: one loop over both was several times slower (polymorphic element loads).
 */
function int64Column(n: number, source: Float64Array | Int32Array | undefined, from: number): Data<Int64> {
  const out = new BigInt64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let r = 0; r < n; r++) out[r] = BigInt(source ? (source[from + r] as number) : from + r);
    return makeData({ type: new Int64(), length: n, data: out });
  }
  const words = new Uint32Array(out.buffer);
  if (source === undefined) {
    for (let r = 0; r < n; r++) setInt64(words, r, from + r);
  } else if (source instanceof Int32Array) {
    for (let r = 0; r < n; r++) {
      const v = source[from + r] as number;
      words[2 * r] = v;
      if (v < 0) words[2 * r + 1] = 0xffffffff;
    }
  } else {
    for (let r = 0; r < n; r++) setInt64(words, r, source[from + r] as number);
  }
  return makeData({ type: new Int64(), length: n, data: out });
}

/** Writes the safe integer `v` as int64 number `r` of a zeroed little-endian word array. */
function setInt64(words: Uint32Array, r: number, v: number): void {
  if (v >= 0 && v < 4294967296) words[2 * r] = v;
  else {
    words[2 * r] = v >>> 0; // ToUint32 is v mod 2^32 for any integer-valued double
    words[2 * r + 1] = Math.floor(v / 4294967296) >>> 0;
  }
}

/** The builder's column arrays; integer columns are doubles (safe integers) so appending needs no BigInt. */
interface Columns {
  episode: Float64Array<ArrayBuffer>;
  frame: Float64Array<ArrayBuffer>;
  envEpisode: Float64Array<ArrayBuffer>;
  envStep: Float64Array<ArrayBuffer>;
  timestamp: Float64Array<ArrayBuffer>;
  agent: Int32Array<ArrayBuffer>;
  scenario: Int32Array<ArrayBuffer>;
  obs: Float32Array<ArrayBuffer>;
  actF: Float32Array<ArrayBuffer>;
  /** Discrete (1 per row) and MultiDiscrete / MultiBinary (width per row) actions. */
  actD: Float64Array<ArrayBuffer>;
  reward: Float32Array<ArrayBuffer>;
  /** Bit flags per row: 1 done, 2 truncated, 4 first, 8 last, 16 terminal. */
  flags: Uint8Array<ArrayBuffer>;
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
  /** Values per row of the action column: the Box width, 1 for Discrete, k for MultiDiscrete / MultiBinary. */
  readonly #actWidth: number;
  /** Whether actions are integers (#actD), not floats (#actF). */
  readonly #integerAction: boolean;
  /** MultiDiscrete / MultiBinary bounds: entry j lies in #actLow[j] .. #actLow[j] + #actCount[j] - 1. */
  readonly #actLow: Float64Array;
  readonly #actCount: Float64Array;
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
  /**
   * Discrete actions (one per row) and MultiDiscrete / MultiBinary actions (#actWidth per row), as doubles like the
   * other integer columns (int64 in the file).
   */
  #actD = new Float64Array(0);
  #reward = new Float32Array(0);
  /** Bit flags per row: 1 done, 2 truncated, 4 first, 8 last, 16 terminal. */
  #flags = new Uint8Array(0);
  /** Rows the columns can hold before #grow. */
  #capacity = 0;
  /** The last agent and scenario seen and their interned ids (-1: none yet; a non-string never matches a string). */
  #lastAgent: unknown = undefined;
  #lastAgentId = -1;
  #lastScenario: unknown = undefined;
  #lastScenarioId = -1;

  constructor(observation: ColumnSpace, action: ColumnSpace, agents: readonly string[] = []) {
    if (observation.kind !== 'box') throw mismatch(OBSERVATION_COLUMN, 'the observation space must be a Box');
    this.schema = trajectorySchema(observation, action);
    this.#obsWidth = observation.width;
    this.#action = action;
    this.#actWidth = action.kind === 'discrete' ? 1 : action.width;
    this.#integerAction = action.kind !== 'box';
    this.#actLow = Float64Array.from(action.kind === 'multi-discrete' ? action.start : []);
    this.#actCount = Float64Array.from(action.kind === 'multi-discrete' ? action.nvec : []);
    for (const a of agents) this.agents.id(a);
  }

  get rows(): number {
    return this.#rows;
  }

  /**
   * Validates the record and copies it into the columns. A bad record throws before the row is counted, so it leaves
   * nothing behind. This runs once per agent-step: it allocates nothing unless it throws.
   */
  append(record: EnvStepRecord): void {
    const i = this.#rows;
    if (i >= this.#capacity) this.#grow(i + 1);
    const w = this.#obsWidth;
    const obs = record.observation as ArrayLike<number> | null | undefined;
    if (obs === null || obs === undefined || typeof obs !== 'object' || typeof obs.length !== 'number') {
      throw mismatch(OBSERVATION_COLUMN, `expected an array of ${w} numbers, got ${typeof obs}`, whereOf(record));
    }
    if (obs.length !== w) {
      throw mismatch(OBSERVATION_COLUMN, `expected ${w} values, got ${obs.length}`, {
        ...whereOf(record),
        length: obs.length,
      });
    }
    copyVector(obs, w, this.#obs, i * w, OBSERVATION_COLUMN, record);
    const reward = record.reward;
    if (!Number.isFinite(reward)) throw numericInvalid('next.reward', reward, whereOf(record));
    if (!Number.isFinite(record.timestamp)) throw numericInvalid('timestamp', record.timestamp, whereOf(record));
    const episode = record.episodeIndex;
    const frame = record.frameIndex;
    if (!Number.isSafeInteger(episode) || episode < 0) {
      throw mismatch('episode_index', `expected a non-negative integer, got ${episode}`, whereOf(record));
    }
    if (!Number.isSafeInteger(frame) || frame < 0) {
      throw mismatch('frame_index', `expected a non-negative integer, got ${frame}`, whereOf(record));
    }
    const envEpisode = (record.envEpisodeIndex ?? episode) + this.episodeOffset;
    const envStep = record.envStep ?? frame;
    if (!Number.isSafeInteger(envEpisode) || envEpisode < 0) {
      throw mismatch('env_episode_index', `expected a non-negative integer, got ${envEpisode}`, whereOf(record));
    }
    if (!Number.isSafeInteger(envStep) || envStep < 0) {
      throw mismatch('env_step', `expected a non-negative integer, got ${envStep}`, whereOf(record));
    }
    // Agents and scenarios repeat from row to row: compare with the last one before asking the intern table.
    const agentId = record.agentId;
    let agent = this.#lastAgentId;
    if (agentId !== this.#lastAgent) {
      if (typeof agentId !== 'string') throw mismatch('agent_id', 'expected a string', whereOf(record));
      agent = this.agents.id(agentId);
    }
    const scenarioId = record.scenarioId;
    let scenario = this.#lastScenarioId;
    if (scenarioId !== this.#lastScenario) {
      if (typeof scenarioId !== 'string') throw mismatch('scenario_id', 'expected a string', whereOf(record));
      scenario = this.scenarios.id(scenarioId);
    }
    const action = record.action;
    const noAction = action === null || action === undefined;
    if (noAction && !record.isLast) {
      throw mismatch(ACTION_COLUMN, 'missing action on a row that is not the last', whereOf(record));
    }
    if (this.#action.kind === 'discrete') {
      let discrete = 0;
      if (!noAction) {
        const a = this.#action;
        const value = typeof action === 'bigint' ? Number(action) : action;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < a.start || value >= a.start + a.n) {
          throw mismatch(
            ACTION_COLUMN,
            `expected an integer in [${a.start}, ${a.start + a.n}), got ${String(action)}`,
            whereOf(record),
          );
        }
        discrete = value;
      }
      this.#actD[i] = discrete;
    } else if (this.#action.kind === 'multi-discrete') {
      const aw = this.#actWidth;
      if (noAction) this.#actD.fill(0, i * aw, (i + 1) * aw);
      else {
        const arr = action as ArrayLike<number | bigint>;
        if (typeof arr !== 'object' || typeof arr.length !== 'number') {
          throw mismatch(ACTION_COLUMN, `expected an array of ${aw} integers, got ${typeof action}`, whereOf(record));
        }
        if (arr.length !== aw) {
          throw mismatch(ACTION_COLUMN, `expected ${aw} values (${this.#action.space}), got ${arr.length}`, {
            ...whereOf(record),
            length: arr.length,
          });
        }
        copyIntegers(arr, this.#actLow, this.#actCount, this.#actD, i * aw, record);
      }
    } else {
      const aw = this.#actWidth;
      if (noAction) this.#actF.fill(0, i * aw, (i + 1) * aw);
      else {
        const arr = action as ArrayLike<number>;
        if (typeof arr !== 'object' || typeof arr.length !== 'number') {
          throw mismatch(ACTION_COLUMN, `expected an array of ${aw} numbers, got ${typeof action}`, whereOf(record));
        }
        if (arr.length !== aw) {
          throw mismatch(ACTION_COLUMN, `expected ${aw} values, got ${arr.length}`, whereOf(record));
        }
        copyVector(arr, aw, this.#actF, i * aw, ACTION_COLUMN, record);
      }
    }

    // Every check passed: fill the scalar columns and count the row.
    this.#lastAgent = agentId;
    this.#lastAgentId = agent;
    this.#lastScenario = scenarioId;
    this.#lastScenarioId = scenario;
    this.#episode[i] = episode + this.episodeOffset;
    this.#frame[i] = frame;
    this.#envEpisode[i] = envEpisode;
    this.#envStep[i] = envStep;
    this.#timestamp[i] = record.timestamp;
    this.#agent[i] = agent;
    this.#scenario[i] = scenario;
    this.#reward[i] = reward;
    this.#flags[i] =
      (record.done ? 1 : 0) |
      (record.truncated ? 2 : 0) |
      (record.isFirst ? 4 : 0) |
      (record.isLast ? 8 : 0) |
      (record.isTerminal ? 16 : 0);
    this.#rows = i + 1;
  }

  /** Doubles every column's capacity (at least to `n` rows): amortised O(1) per row, checked once per append. */
  #grow(n: number): void {
    let size = Math.max(this.#capacity * 2, INITIAL_CAPACITY);
    while (size < n) size *= 2;
    this.#episode = grow(this.#episode, size);
    this.#frame = grow(this.#frame, size);
    this.#envEpisode = grow(this.#envEpisode, size);
    this.#envStep = grow(this.#envStep, size);
    this.#timestamp = grow(this.#timestamp, size);
    this.#agent = grow(this.#agent, size);
    this.#scenario = grow(this.#scenario, size);
    this.#obs = grow(this.#obs, size * this.#obsWidth);
    if (this.#integerAction) this.#actD = grow(this.#actD, size * this.#actWidth);
    else this.#actF = grow(this.#actF, size * this.#actWidth);
    this.#reward = grow(this.#reward, size);
    this.#flags = grow(this.#flags, size);
    this.#capacity = size;
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
    const rows = this.#rows;
    const actValues = this.#integerAction ? this.#actD : this.#actF;
    // Rows with an action are those without the is_last bit: the others are skipped for action and reward.
    const last = new Uint8Array(rows);
    for (let i = 0; i < rows; i++) last[i] = (this.#flags[i] as number) & 8;
    return {
      [OBSERVATION_COLUMN]: new FeatureStatsAccumulator(this.#obsWidth).addRows(this.#obs, rows).result(),
      [ACTION_COLUMN]: new FeatureStatsAccumulator(this.#actWidth).addRows(actValues, rows, last).result(),
      'next.reward': new FeatureStatsAccumulator(1).addRows(this.#reward, rows, last).result(),
      timestamp: new FeatureStatsAccumulator(1).addRows(this.#timestamp, rows).result(),
    };
  }

  /** Forgets the last row appended (the sink rejects a row only once it knows the row's trajectory). */
  dropLast(): void {
    if (this.#rows > 0) this.#rows--;
  }

  /** The current column arrays (rows 0..rows-1 are valid). */
  #columns(): Columns {
    return {
      episode: this.#episode,
      frame: this.#frame,
      envEpisode: this.#envEpisode,
      envStep: this.#envStep,
      timestamp: this.#timestamp,
      agent: this.#agent,
      scenario: this.#scenario,
      obs: this.#obs,
      actF: this.#actF,
      actD: this.#actD,
      reward: this.#reward,
      flags: this.#flags,
    };
  }

  /** New column arrays holding rows `rows[0], rows[1], …` of the current ones. */
  #gather(rows: Int32Array): Columns {
    const n = rows.length;
    const c = this.#columns();
    const pick = <
      T extends
        | Float64Array<ArrayBuffer>
        | Int32Array<ArrayBuffer>
        | Float32Array<ArrayBuffer>
        | Uint8Array<ArrayBuffer>,
    >(
      a: T,
    ): T => {
      const Ctor = a.constructor as new (n: number) => T;
      const out = new Ctor(Math.max(n, 1));
      for (let k = 0; k < n; k++) out[k] = a[rows[k] as number] as never;
      return out;
    };
    const pickVec = <T extends Float32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(a: T, width: number): T => {
      const Ctor = a.constructor as new (n: number) => T;
      const out = new Ctor(Math.max(n * width, 1));
      for (let k = 0; k < n; k++) {
        const i = (rows[k] as number) * width;
        for (let j = 0; j < width; j++) out[k * width + j] = a[i + j] as number;
      }
      return out;
    };
    const integer = this.#integerAction;
    return {
      episode: pick(c.episode),
      frame: pick(c.frame),
      envEpisode: pick(c.envEpisode),
      envStep: pick(c.envStep),
      timestamp: pick(c.timestamp),
      agent: pick(c.agent),
      scenario: pick(c.scenario),
      obs: pickVec(c.obs, this.#obsWidth),
      actF: integer ? c.actF : pickVec(c.actF, this.#actWidth),
      actD: integer ? pickVec(c.actD, this.#actWidth) : c.actD,
      reward: pick(c.reward),
      flags: pick(c.flags),
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
    const c = this.#gather(order);
    this.#episode = c.episode;
    this.#frame = c.frame;
    this.#envEpisode = c.envEpisode;
    this.#envStep = c.envStep;
    this.#timestamp = c.timestamp;
    this.#agent = c.agent;
    this.#scenario = c.scenario;
    this.#obs = c.obs;
    this.#actF = c.actF;
    this.#actD = c.actD;
    this.#reward = c.reward;
    this.#flags = c.flags;
    this.#rows = n;
    this.#capacity = Math.max(n, 1);
  }

  /**
   * One RecordBatch of rows `from` until `to` (default: all rows so far), whose `index` starts at indexOffset +
   * `from`. It views the builder's arrays without copying: rows already appended are never modified (appends write
   * past them, `reorder` allocates new arrays), so the builder can keep appending.
   */
  build(from = 0, to: number = this.#rows): RecordBatch {
    return this.#batch(this.#columns(), from, to, this.indexOffset + from);
  }

  /**
   * One RecordBatch of rows `rows[0], rows[1], …` (copied), whose `index` starts at indexOffset + `position`: the
   * sink encodes the trajectories it already knows the final place of while the run goes on.
   */
  buildRows(rows: Int32Array, position: number): RecordBatch {
    return this.#batch(this.#gather(rows), 0, rows.length, this.indexOffset + position);
  }

  #batch(c: Columns, from: number, to: number, firstIndex: number): RecordBatch {
    const n = to - from;
    const fields = this.schema.fields;
    const flags = c.flags;
    const bool = (bit: number) => {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let r = 0; r < n; r++) if ((flags[from + r] as number) & bit) bits[r >> 3] |= 1 << (r & 7);
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
    let action: Data;
    if (this.#action.kind === 'box') action = vector(10, c.actF, this.#actWidth);
    else if (this.#action.kind === 'discrete') action = int64Column(n, c.actD, from);
    else {
      // FixedSizeList<int64, k>: its child is one int64 column of n * k values, built by the same two-word path.
      const width = this.#actWidth;
      const type = (fields[10] as Field).type as FixedSizeList<Int64>;
      action = makeData({ type, length: n, child: int64Column(n * width, c.actD, from * width) });
    }
    const children: Data[] = [
      int64Column(n, undefined, firstIndex),
      int64Column(n, c.episode, from),
      int64Column(n, c.frame, from),
      makeData({ type: new Float64(), length: n, data: c.timestamp.subarray(from, to) }),
      makeData({ type: new Int64(), length: n, data: new BigInt64Array(n) }),
      int64Column(n, c.envEpisode, from),
      int64Column(n, c.envStep, from),
      int64Column(n, c.agent, from),
      utf8(this.agents.values, c.agent.subarray(from, to), n),
      vector(9, c.obs, this.#obsWidth),
      action,
      makeData({ type: new Float32(), length: n, data: c.reward.subarray(from, to) }),
      bool(1),
      bool(2),
      bool(4),
      bool(8),
      bool(16),
      utf8(this.scenarios.values, c.scenario.subarray(from, to), n),
    ];
    return new RecordBatch(this.schema, makeData({ type: new Struct(fields), length: n, children }));
  }
}

/**
 * A Utf8 column from interned strings: each distinct string is encoded once; a run of rows with the same string (one
 * agent's trajectory, one scenario) is filled by copying its first copy onto itself in doubling lengths, so the cost
 * is a few memcpy calls per run instead of a loop per byte.
 */
function utf8(values: readonly string[], ids: Int32Array, n: number): Data<Utf8> {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => encoder.encode(v));
  const lengths = Int32Array.from(encoded, (e) => e.length);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += lengths[ids[r] as number] as number;
    offsets[r + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let r = 0;
  while (r < n) {
    const id = ids[r] as number;
    let end = r + 1;
    while (end < n && ids[end] === id) end++;
    const start = offsets[r] as number;
    const stop = offsets[end] as number;
    bytes.set(encoded[id] as Uint8Array, start);
    for (let filled = lengths[id] as number; filled > 0 && start + filled < stop; filled *= 2) {
      bytes.copyWithin(start + filled, start, Math.min(start + filled, stop - filled));
    }
    r = end;
  }
  return makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes });
}
