import { TwinforgeError } from '@twinforge/core';
import type { FlatArray, Space } from './space.js';

/** The length of a space's flat float vector (one-hot for discrete parts, as Gymnasium). */
export function flatdim(space: Space<unknown>): number {
  return space.flatdim;
}

/**
 * A value as a flat float vector. Pass `out` to reuse a buffer in hot loops; otherwise a Float32Array is allocated.
 */
export function flatten<T>(space: Space<T>, value: T, out?: FlatArray): FlatArray {
  const buf = out ?? new Float32Array(space.flatdim);
  if (buf.length < space.flatdim) {
    throw new TwinforgeError('INVALID_ARGUMENT', `flatten buffer has length ${buf.length}, need ${space.flatdim}`);
  }
  space.flattenInto(value, buf, 0);
  return buf;
}

/** The inverse of `flatten`: `unflatten(s, flatten(s, x))` equals `x` for every `x` in `s`. */
export function unflatten<T>(space: Space<T>, flat: ArrayLike<number>): T {
  if (flat.length !== space.flatdim) {
    throw new TwinforgeError('INVALID_ARGUMENT', `unflatten got length ${flat.length}, expected ${space.flatdim}`);
  }
  return space.unflattenFrom(flat, 0);
}
