import { TwinforgeError } from '@twinforge/core';

/** Throws PHYSICS_INVALID_INPUT unless `value` is a finite number. Internal helper shared by every model. */
export function requireFinite(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `${name} must be a finite number, got ${String(value)}`, {
      details: { name, value },
    });
  }
  return value;
}

/** Throws PHYSICS_INVALID_INPUT unless `value` is finite and > 0. */
export function requirePositive(value: number, name: string): number {
  requireFinite(value, name);
  if (!(value > 0)) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `${name} must be > 0, got ${value}`, {
      details: { name, value },
    });
  }
  return value;
}

/** Throws PHYSICS_INVALID_INPUT unless `value` is finite and >= 0. */
export function requireNonNegative(value: number, name: string): number {
  requireFinite(value, name);
  if (!(value >= 0)) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `${name} must be >= 0, got ${value}`, {
      details: { name, value },
    });
  }
  return value;
}

/** Throws PHYSICS_INVALID_INPUT unless `out` has at least `n` elements. */
export function requireLength(arr: ArrayLike<number>, n: number, name: string): void {
  if (arr.length < n) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `${name} needs length >= ${n}, got ${arr.length}`, {
      details: { name, length: arr.length, expected: n },
    });
  }
}
