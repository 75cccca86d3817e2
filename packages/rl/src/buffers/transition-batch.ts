import { TwinforgeError } from '@twinforge/core';

/**
 * A batch of transitions as struct-of-arrays (row-major `[batch, dim]`), the layout tensors are built from without
 * a copy per sample. Allocate once with `createTransitionBatch` and let `sample` overwrite it every update.
 * `terminated` is 0/1 as float so it enters TD targets directly; truncated transitions are stored as not
 * terminated on purpose, so learners bootstrap through time limits.
 */
export interface TransitionBatch {
  readonly size: number;
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObservations: Float32Array;
  readonly terminated: Float32Array;
  /** Buffer slots the rows came from (for priority updates). */
  readonly indices: Int32Array;
}

export function createTransitionBatch(size: number, obsDim: number, actionDim: number): TransitionBatch {
  for (const [name, v] of [
    ['batch size', size],
    ['obsDim', obsDim],
    ['actionDim', actionDim],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${name} must be an integer >= 1, got ${v}`);
    }
  }
  return {
    size,
    observations: new Float32Array(size * obsDim),
    actions: new Float32Array(size * actionDim),
    rewards: new Float32Array(size),
    nextObservations: new Float32Array(size * obsDim),
    terminated: new Float32Array(size),
    indices: new Int32Array(size),
  };
}
