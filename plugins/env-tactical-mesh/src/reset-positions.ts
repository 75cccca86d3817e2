import { TwinforgeError } from '@twinforge/core';
import type { TacticalMeshConfig } from './config.js';

/** Checks reset `options.positions`: x0, y0, x1, y1, … for every node, inside the area (INVALID_ARGUMENT if not). */
export function readPositions(value: unknown, c: TacticalMeshConfig): ArrayLike<number> | undefined {
  if (value === undefined) return undefined;
  const arr = value as ArrayLike<number>;
  if (typeof value !== 'object' || value === null || typeof arr.length !== 'number' || arr.length !== 2 * c.nodes) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `reset options.positions must hold ${2 * c.nodes} numbers (x, y per node)`,
    );
  }
  for (let k = 0; k < arr.length; k++) {
    const v = arr[k] as number;
    const max = k % 2 === 0 ? c.width_m : c.height_m;
    if (!Number.isFinite(v) || v < 0 || v > max) {
      throw new TwinforgeError('INVALID_ARGUMENT', `reset options.positions[${k}] must lie in [0, ${max}], got ${v}`);
    }
  }
  return arr;
}
