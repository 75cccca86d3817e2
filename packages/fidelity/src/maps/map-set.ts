import { TwinforgeError } from '@twinforge/core';

/** A set of single-channel maps of one shape: row-major `width × height` values each (core's Grid layout). */
export interface MapSet {
  readonly width: number;
  readonly height: number;
  readonly maps: readonly Float32Array[];
}

/** Checks shape and finiteness once, so every metric can index without guards. */
export function checkMapSet(set: MapSet, name: string): MapSet {
  const { width, height, maps } = set;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new TwinforgeError('INVALID_ARGUMENT', `${name}: width and height must be positive integers`);
  }
  if (maps.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', `${name}: no maps`);
  for (const [i, m] of maps.entries()) {
    if (m.length !== width * height) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${name}[${i}] has ${m.length} values for ${width}x${height}`);
    }
    for (let k = 0; k < m.length; k++) {
      if (!Number.isFinite(m[k] as number)) {
        throw new TwinforgeError('NUMERIC_INVALID', `${name}[${i}] cell ${k} is ${m[k]}`);
      }
    }
  }
  return set;
}

export function sameShape(a: MapSet, b: MapSet, what: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `${what}: map shapes differ (${a.width}x${a.height} vs ${b.width}x${b.height})`,
    );
  }
}

/** Smallest and largest value over every map of the sets. */
export function valueRange(...sets: MapSet[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of sets) {
    for (const m of s.maps) {
      for (let k = 0; k < m.length; k++) {
        const v = m[k] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return [lo, hi];
}
