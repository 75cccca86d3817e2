import { type Rng, TwinforgeError } from '@twinforge/core';
import type { SampleConfigInput } from './config.js';
import type { ConditionValues } from './diffusion/conditions.js';
import { upsampleNearest } from './diffusion/resample.js';
import type { DiffusionMapModel } from './diffusion-model.js';

/** The lower-resolution stage of a cascade and the noise level its layouts are rendered from. */
export interface CascadeStage {
  readonly base: DiffusionMapModel;
  /** Fraction of the T diffusion steps, in (0, 1]: lower keeps more of the base's layout (see `refine`). */
  readonly level: number;
}

/**
 * Two-stage sampling (cascaded diffusion, Ho et al. 2021, with SDEdit as the second stage): `base` samples each
 * condition row at its resolution, the maps are upsampled by nearest neighbour to `model`'s, and `model` renders
 * them from noise level `level` under the same rows. The jammer layout, where a small model is better, comes from
 * `base`; the detail from `model`. Both stages use `config` and draw from their own split of `rng`.
 */
export function sampleCascade(
  model: DiffusionMapModel,
  stage: CascadeStage,
  conditions: readonly ConditionValues[],
  rng: Rng,
  config: SampleConfigInput = {},
): Float32Array[] {
  const { base, level } = stage;
  const factor = model.config.width / base.config.width;
  if (!Number.isInteger(factor) || model.config.height / base.config.height !== factor) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `a cascade needs the base size (${base.config.width}x${base.config.height}) to divide the model's (${model.config.width}x${model.config.height}) by one integer`,
    );
  }
  const names = (m: DiffusionMapModel) => m.config.conditions.map((c) => `${c.name}:${c.levels}`).join(',');
  if (names(base) !== names(model)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `a cascade needs the same conditions in both models (base: ${names(base)}; model: ${names(model)})`,
    );
  }
  const layouts = base
    .sample(conditions, rng.split('cascade-base'), config)
    .map((m) => upsampleNearest(m, base.config.width, base.config.height, factor));
  return model.refine(layouts, conditions, level, rng.split('cascade-refine'), config);
}
