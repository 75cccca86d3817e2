import { type Rng, TwinforgeError } from '@twinforge/core';
import { SnapshotDraft } from './draft.js';
import type { TwinSnapshot } from './snapshot.js';

/**
 * A deliberate imperfection of a digital domain (seed 001 §V-A: "noise in DT"). `apply` returns a perturbed copy and
 * never modifies its input, so the identical domain stays exact while forks see the noisy state.
 */
export interface StateNoise {
  readonly name: string;
  apply(snapshot: TwinSnapshot, rng: Rng): TwinSnapshot;
}

export interface GaussianNoiseTarget {
  readonly entity: string;
  readonly column: string;
  /** Standard deviation, in the column's unit. */
  readonly std: number;
  /** Clamp after adding noise (e.g. keep a position on the road). */
  readonly min?: number;
  readonly max?: number;
}

/**
 * Additive Gaussian state noise, x' = x + N(0, σ²) per entity and column: sensor error and stale estimates of the
 * physical state, the imperfection seed 001 names first. Only the listed columns are copied and perturbed.
 */
export function gaussianStateNoise(targets: readonly GaussianNoiseTarget[]): StateNoise {
  for (const t of targets) {
    if (!(t.std >= 0) || !Number.isFinite(t.std)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `noise std for ${t.entity}.${t.column} must be >= 0, got ${t.std}`);
    }
    if (t.min !== undefined && t.max !== undefined && t.min > t.max) {
      throw new TwinforgeError('INVALID_ARGUMENT', `noise bounds for ${t.entity}.${t.column} need min <= max`);
    }
  }
  return {
    name: 'gaussian-state',
    apply(snapshot, rng) {
      const draft = new SnapshotDraft(snapshot);
      for (const t of targets) {
        if (t.std === 0) continue;
        const column = draft.writable(t.entity, t.column);
        const lo = t.min ?? Number.NEGATIVE_INFINITY;
        const hi = t.max ?? Number.POSITIVE_INFINITY;
        for (let i = 0; i < column.length; i++) {
          column[i] = Math.min(hi, Math.max(lo, (column[i] as number) + rng.normal(0, t.std)));
        }
      }
      return draft.dirty ? draft.commit() : snapshot;
    },
  };
}
