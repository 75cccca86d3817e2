import type { Rng, SpaceLike } from '@twinforge/core';

/** The flat buffers flatten/unflatten work on: float32 for storage and networks, float64 when precision matters. */
export type FlatArray = Float32Array | Float64Array;

/**
 * Base of every concrete space. Besides core's `SpaceLike` it knows its flat width and how to write a value into a
 * flat buffer at an offset, so nested Dict/Tuple spaces flatten into one preallocated buffer without intermediate
 * arrays (replay buffers and networks consume flat float vectors).
 */
export abstract class Space<T> implements SpaceLike<T> {
  abstract readonly flatdim: number;
  abstract sample(rng: Rng): T;
  abstract contains(value: unknown): boolean;
  abstract toJSON(): SpaceJSON;
  /** Writes `value` into `out[offset .. offset + flatdim)`. */
  abstract flattenInto(value: T, out: FlatArray, offset: number): void;
  /** Reads a value back from `flat[offset .. offset + flatdim)`. */
  abstract unflattenFrom(flat: ArrayLike<number>, offset: number): T;
}

/** The value type of a space, for typing Dict and Tuple values. */
export type SpaceValue<S> = S extends Space<infer T> ? T : never;

/** JSON-safe bound: numbers, with ±Infinity written as the strings 'inf' / '-inf' (JSON has no infinities). */
export type JsonBound = number | 'inf' | '-inf';

export type SpaceJSON =
  | { type: 'Box'; shape: number[]; low: JsonBound | JsonBound[]; high: JsonBound | JsonBound[]; dtype: 'float32' }
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'MultiDiscrete'; nvec: number[]; start: number[] }
  | { type: 'MultiBinary'; n: number }
  | { type: 'Dict'; spaces: Record<string, SpaceJSON> }
  | { type: 'Tuple'; spaces: SpaceJSON[] };
