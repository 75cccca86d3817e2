import { TwinforgeError } from '@twinforge/core';
import { flatSpaceSuggestion } from './flat-space-suggestion.js';

/**
 * What the dataset schema needs to know about a space: a float vector of `width` (Box), one discrete choice of `n`
 * (Discrete), or a vector of `width` discrete choices, entry j in `start[j] .. start[j] + nvec[j] - 1`
 * (MultiDiscrete; MultiBinary(n) is the same column as MultiDiscrete of n twos, and `space` keeps which it was).
 * `json` is the space's own description, kept verbatim in info.json (nvec and start included).
 */
export type ColumnSpace =
  | { kind: 'box'; width: number; json: unknown }
  | { kind: 'discrete'; n: number; start: number; json: unknown }
  | {
      kind: 'multi-discrete';
      space: 'MultiDiscrete' | 'MultiBinary';
      width: number;
      nvec: readonly number[];
      start: readonly number[];
      json: unknown;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, message: string, json: unknown): TwinforgeError {
  return new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: ${message}`, { details: { field, space: json } });
}

function multiDiscrete(json: Record<string, unknown>, field: string): ColumnSpace {
  const nvec = json.nvec;
  if (!Array.isArray(nvec) || nvec.length === 0 || !nvec.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw invalid(field, 'MultiDiscrete space needs a non-empty nvec of integers >= 1', json);
  }
  const start = json.start ?? nvec.map(() => 0);
  if (!Array.isArray(start) || start.length !== nvec.length || !start.every((s) => Number.isSafeInteger(s))) {
    throw invalid(field, `MultiDiscrete start must be ${nvec.length} integers, like nvec`, json);
  }
  // Values are held as doubles and written as int64, so every value of the range must be a safe integer.
  if (!nvec.every((n, j) => Number.isSafeInteger((start[j] as number) + (n as number)))) {
    throw invalid(field, 'MultiDiscrete start + nvec must stay within the safe integers', json);
  }
  return {
    kind: 'multi-discrete',
    space: 'MultiDiscrete',
    width: nvec.length,
    nvec: nvec as number[],
    start: start as number[],
    json,
  };
}

function multiBinary(json: Record<string, unknown>, field: string): ColumnSpace {
  const n = json.n;
  if (!Number.isSafeInteger(n) || (n as number) < 1)
    throw invalid(field, 'MultiBinary space needs an integer n >= 1', json);
  const width = n as number;
  return {
    kind: 'multi-discrete',
    space: 'MultiBinary',
    width,
    nvec: new Array<number>(width).fill(2),
    start: new Array<number>(width).fill(0),
    json,
  };
}

/**
 * Dict and Tuple spaces have no single fixed-width column: the error says so and names the flat space that would
 * store the same values (observations: FlattenObservation of @twinforge/rl; actions: an ActionWrapper that takes
 * that flat action).
 */
function composite(json: Record<string, unknown>, field: string): TwinforgeError {
  const how = field.startsWith('observation')
    ? `wrap the environment in FlattenObservation of @twinforge/rl, which gives ${flatSpaceSuggestion(json, { box: true })}`
    : `give the environment a flat action space, ${flatSpaceSuggestion(json)}, e.g. through an ActionWrapper that unflattens it (the way FlattenObservation flattens observations)`;
  return invalid(
    field,
    `${String(json.type)} spaces are not supported: one dataset column needs one fixed-width layout; ${how}`,
    json,
  );
}

/**
 * Reads a space from its JSON description (`space.toJSON()` of @twinforge/rl): Box (stored flat, width = product of
 * the shape), Discrete, MultiDiscrete and MultiBinary. Dict and Tuple are refused with a suggestion.
 */
export function columnSpace(json: unknown, field: string): ColumnSpace {
  if (!isRecord(json)) throw invalid(field, 'space description must be an object', json);
  switch (json.type) {
    case 'Box': {
      const shape = json.shape;
      if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
        throw invalid(field, 'Box space needs a shape of positive integers', json);
      }
      const width = (shape as number[]).reduce((a, b) => a * b, 1);
      return { kind: 'box', width, json };
    }
    case 'Discrete': {
      const n = json.n;
      const start = json.start ?? 0;
      if (!Number.isInteger(n) || (n as number) < 1 || !Number.isInteger(start)) {
        throw invalid(field, 'Discrete space needs an integer n >= 1', json);
      }
      return { kind: 'discrete', n: n as number, start: start as number, json };
    }
    case 'MultiDiscrete':
      return multiDiscrete(json, field);
    case 'MultiBinary':
      return multiBinary(json, field);
    case 'Dict':
    case 'Tuple':
      throw composite(json, field);
    default:
      throw invalid(
        field,
        `unsupported space type ${String(json.type)} (Box, Discrete, MultiDiscrete and MultiBinary are supported)`,
        json,
      );
  }
}

/** Whether two column spaces store the same values the same way (what one shared column needs). */
function sameLayout(a: ColumnSpace, b: ColumnSpace): boolean {
  if (a.kind === 'box' && b.kind === 'box') return a.width === b.width;
  if (a.kind === 'discrete' && b.kind === 'discrete') return true;
  if (a.kind === 'multi-discrete' && b.kind === 'multi-discrete') {
    // Same bounds too: a record is checked against one nvec, so agents with other ranges would be checked wrongly.
    return a.width === b.width && a.nvec.every((n, j) => n === b.nvec[j] && a.start[j] === b.start[j]);
  }
  return false;
}

function describe(space: ColumnSpace): string {
  if (space.kind === 'box') return `Box of width ${space.width}`;
  if (space.kind === 'discrete') return `Discrete(${space.n})`;
  const start = space.start.some((s) => s !== 0) ? `, start [${space.start.join(', ')}]` : '';
  return space.space === 'MultiBinary'
    ? `MultiBinary(${space.width})`
    : `MultiDiscrete([${space.nvec.join(', ')}]${start})`;
}

/**
 * The sink receives either one space shared by all agents or a map agent → space (parallel environments). All
 * agents must share the column layout, since the dataset has one `observation.state` / `action` column.
 */
export function sharedColumnSpace(json: unknown, field: string): ColumnSpace {
  if (isRecord(json) && typeof json.type !== 'string') {
    const entries = Object.entries(json);
    if (entries.length === 0) throw invalid(field, 'empty per-agent space map', json);
    const spaces = entries.map(([agent, s]) => columnSpace(s, `${field}[${agent}]`));
    const first = spaces[0] as ColumnSpace;
    for (let i = 1; i < spaces.length; i++) {
      const s = spaces[i] as ColumnSpace;
      if (!sameLayout(first, s)) {
        throw invalid(
          field,
          `agent ${entries[i]?.[0]} has ${describe(s)} but ${entries[0]?.[0]} has ${describe(first)}; one dataset needs one layout`,
          json,
        );
      }
    }
    return { ...first, json };
  }
  return columnSpace(json, field);
}

/**
 * The observation column is a float vector: a Box, or anything FlattenObservation of @twinforge/rl turns into one.
 */
export function observationColumnSpace(json: unknown, field: string): ColumnSpace & { kind: 'box' } {
  const space = sharedColumnSpace(json, field);
  if (space.kind !== 'box') {
    throw invalid(
      field,
      `a ${describe(space)} observation space is not supported (the column is a float32 vector); wrap the environment in FlattenObservation of @twinforge/rl, which gives ${flatSpaceSuggestion(
        isRecord(json) && typeof json.type !== 'string' ? Object.values(json)[0] : json,
        { box: true },
      )}`,
      json,
    );
  }
  return space;
}
