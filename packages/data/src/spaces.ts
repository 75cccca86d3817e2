import { TwinforgeError } from '@twinforge/core';

/** What the dataset schema needs to know about a space: a float vector of `width`, or a discrete choice of `n`. */
export type ColumnSpace =
  | { kind: 'box'; width: number; json: unknown }
  | { kind: 'discrete'; n: number; start: number; json: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a space from its JSON description (`space.toJSON()`): `{ type: 'Box', shape: [n] }` or
 * `{ type: 'Discrete', n }`. Multi-dimensional boxes are stored flat (width = product of the shape).
 */
export function columnSpace(json: unknown, field: string): ColumnSpace {
  if (!isRecord(json)) {
    throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: space description must be an object`, {
      details: { field, space: json },
    });
  }
  if (json.type === 'Box') {
    const shape = json.shape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: Box space needs a shape of positive integers`, {
        details: { field, space: json },
      });
    }
    const width = (shape as number[]).reduce((a, b) => a * b, 1);
    return { kind: 'box', width, json };
  }
  if (json.type === 'Discrete') {
    const n = json.n;
    const start = json.start ?? 0;
    if (!Number.isInteger(n) || (n as number) < 1 || !Number.isInteger(start)) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: Discrete space needs an integer n >= 1`, {
        details: { field, space: json },
      });
    }
    return { kind: 'discrete', n: n as number, start: start as number, json };
  }
  throw new TwinforgeError(
    'DATASET_SCHEMA_MISMATCH',
    `${field}: unsupported space type ${String(json.type)} (Box and Discrete are supported)`,
    { details: { field, space: json } },
  );
}

/**
 * The sink receives either one space shared by all agents or a map agent → space (parallel environments). All
 * agents must share the column layout, since the dataset has one `observation.state` / `action` column.
 */
export function sharedColumnSpace(json: unknown, field: string): ColumnSpace {
  if (isRecord(json) && typeof json.type !== 'string') {
    const entries = Object.entries(json);
    if (entries.length === 0) {
      throw new TwinforgeError('DATASET_SCHEMA_MISMATCH', `${field}: empty per-agent space map`, {
        details: { field },
      });
    }
    const spaces = entries.map(([agent, s]) => columnSpace(s, `${field}[${agent}]`));
    const first = spaces[0] as ColumnSpace;
    for (let i = 1; i < spaces.length; i++) {
      const s = spaces[i] as ColumnSpace;
      const same = s.kind === first.kind && (s.kind === 'box' ? s.width === (first as { width: number }).width : true);
      if (!same) {
        throw new TwinforgeError(
          'DATASET_SCHEMA_MISMATCH',
          `${field}: agent ${entries[i]?.[0]} has a different layout from ${entries[0]?.[0]}; one dataset needs one layout`,
          { details: { field } },
        );
      }
    }
    return { ...first, json };
  }
  return columnSpace(json, field);
}
