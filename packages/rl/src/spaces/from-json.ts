import { TwinforgeError } from '@twinforge/core';
import { Box } from './box.js';
import { Dict } from './dict.js';
import { Discrete } from './discrete.js';
import { MultiBinary } from './multi-binary.js';
import { MultiDiscrete } from './multi-discrete.js';
import type { Space } from './space.js';
import { Tuple } from './tuple.js';

/**
 * Rebuilds a space from `space.toJSON()` (dataset metadata, checkpoints). Accepts the parsed JSON text, so bounds
 * may be the strings 'inf' / '-inf'. Unknown shapes are rejected with the path of the offending field.
 */
export function spaceFromJSON(json: unknown, path = 'space'): Space<unknown> {
  const j = asObject(json, path);
  switch (j.type) {
    case 'Box': {
      const shape = asIntArray(j.shape, `${path}.shape`);
      return new Box(parseBounds(j.low, `${path}.low`), parseBounds(j.high, `${path}.high`), { shape });
    }
    case 'Discrete':
      return new Discrete(asNumber(j.n, `${path}.n`), j.start === undefined ? 0 : asNumber(j.start, `${path}.start`));
    case 'MultiDiscrete':
      return new MultiDiscrete(
        asIntArray(j.nvec, `${path}.nvec`),
        j.start === undefined ? undefined : asIntArray(j.start, `${path}.start`),
      );
    case 'MultiBinary':
      return new MultiBinary(asNumber(j.n, `${path}.n`));
    case 'Dict': {
      const spaces = asObject(j.spaces, `${path}.spaces`);
      const out: Record<string, Space<unknown>> = {};
      for (const [k, v] of Object.entries(spaces)) out[k] = spaceFromJSON(v, `${path}.spaces.${k}`);
      return new Dict(out);
    }
    case 'Tuple': {
      if (!Array.isArray(j.spaces)) fail(`${path}.spaces`, 'must be an array');
      return new Tuple((j.spaces as unknown[]).map((s, i) => spaceFromJSON(s, `${path}.spaces[${i}]`)));
    }
    default:
      return fail(`${path}.type`, `unknown space type ${JSON.stringify(j.type)}`);
  }
}

function fail(path: string, what: string): never {
  throw new TwinforgeError('INVALID_ARGUMENT', `${path} ${what}`, { details: { path } });
}

function asObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Record<string, unknown>;
}

function asNumber(v: unknown, path: string): number {
  if (typeof v !== 'number') fail(path, 'must be a number');
  return v as number;
}

function asIntArray(v: unknown, path: string): number[] {
  if (!Array.isArray(v) || !v.every(Number.isInteger)) fail(path, 'must be an array of integers');
  return v as number[];
}

function parseBound(v: unknown, path: string): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return asNumber(v, path);
}

function parseBounds(v: unknown, path: string): number | number[] {
  if (Array.isArray(v)) return v.map((x, i) => parseBound(x, `${path}[${i}]`));
  return parseBound(v, path);
}
