import type { Info } from '@twinforge/core';

/**
 * What happens when a sub-environment's episode ends, as Gymnasium 1.x defines it:
 * - `next-step`: the step that ends the episode returns it as is; the next `step` resets that sub-environment
 *   (its action is ignored) and returns the reset observation with reward 0 and both flags false.
 * - `same-step`: the sub-environment is reset within the same step; the returned row is the reset observation and
 *   the terminal one is kept in `infos[i].finalObservation` (with `finalInfo`).
 * - `disabled`: nothing is reset; stepping an ended sub-environment is an error until `reset` with a `resetMask`.
 */
export type AutoresetMode = 'next-step' | 'same-step' | 'disabled';

export const AUTORESET_MODES: readonly AutoresetMode[] = ['next-step', 'same-step', 'disabled'];

export interface VectorResetResult {
  /** Row-major `[numEnvs, flatdim]` flattened observations. */
  observations: Float32Array;
  infos: Info[];
}

export interface VectorStepResult extends VectorResetResult {
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
}
