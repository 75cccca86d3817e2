import { type ResetOptions, TwinforgeError } from '@twinforge/core';

/** A vector `reset` call taken apart: the base seed, which sub-environments to reset, and the options they get. */
export interface ResetRequest {
  seed: number | undefined;
  /** One boolean per sub-environment; undefined resets all. */
  mask: readonly boolean[] | undefined;
  /** `options` without `resetMask`, or undefined when nothing is left (sub-environments then get no options). */
  options: Record<string, unknown> | undefined;
}

/**
 * Splits `reset(options)` the way both vector envs read it: `options.options.resetMask` selects sub-environments
 * and is not passed on; the remaining options go to every reset sub-environment.
 */
export function parseResetRequest(options: ResetOptions, numEnvs: number): ResetRequest {
  const mask = options.options?.resetMask as readonly boolean[] | undefined;
  if (mask !== undefined && (!Array.isArray(mask) || mask.length !== numEnvs)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `resetMask must be an array of ${numEnvs} booleans`);
  }
  const { resetMask: _m, ...rest } = options.options ?? {};
  return { seed: options.seed, mask, options: Object.keys(rest).length > 0 ? rest : undefined };
}
