import type { StepRecord } from '@twinforge/core';
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
} from 'apache-arrow';
import { int64Column, utf8 } from './arrow-columns.js';
import { type FeatureStats, FeatureStatsAccumulator } from './feature-stats.js';
import { copyIntegers, copyVector, mismatch, numericInvalid, whereOf } from './record-values.js';
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
