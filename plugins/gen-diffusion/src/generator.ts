import {
  type Condition,
  type Grid,
  type Rng,
  type Scenario,
  type ScenarioGenerator,
  TwinforgeError,
  validateConfig,
} from '@twinforge/core';
import { z } from 'zod';
import { type CascadeStage, sampleCascade } from './cascade.js';
import { sampleConfigSchema } from './config.js';
import { conditionValues } from './diffusion/conditions.js';
import type { DiffusionMapModel } from './diffusion-model.js';

export const diffusionGeneratorConfigSchema = z.strictObject({
  /** Which loaded model to sample (plugin option `models` key); default: the only one. */
  model: z.string().min(1).optional(),
  /** DDIM steps, guidance scale, η, x₀ clipping. */
  sampling: sampleConfigSchema.prefault({}),
  /** Cell edge in metres; default the dataset's area width / map width (from the model's metadata), else 5000 m / width. */
  cellSize_m: z.number().positive().optional(),
  /**
   * Sample as a cascade (see cascade.ts): the loaded model named `base`, at a lower resolution, lays each map out and
   * this model renders it from noise level `level`. The reproduction's 32×32 jamming maps come from
   * { base: <the 16×16 model>, level: 0.3 }.
   */
  cascade: z.strictObject({ base: z.string().min(1), level: z.number().gt(0).max(1).default(0.3) }).optional(),
});
export type DiffusionGeneratorConfigInput = z.input<typeof diffusionGeneratorConfigSchema>;
export type DiffusionGeneratorConfig = z.output<typeof diffusionGeneratorConfigSchema>;

export const DIFFUSION_GENERATOR_ID = 'diffusion-maps';

/**
 * The diffusion model as a ScenarioGenerator: `sample(condition, rng)` draws one map for the condition (keys are the
 * model's condition names, e.g. { jammers: 2, loadLevel: 3 }; a missing key is sampled from the model's marginal)
 * and returns it as the scenario's map (e.g. `jamming_dBm`, which the tactical mesh adds as an external interference
 * field), with no events. Values are clipped to the codec's physical range for use in an environment; the fidelity
 * suite reads the unclipped maps from `DiffusionMapModel.sample`. `params` carry the given condition, plus
 * `offeredLoad_Mbps` when the model knows the dataset's load levels.
 */
export class DiffusionScenarioGenerator implements ScenarioGenerator {
  readonly config: DiffusionGeneratorConfig;
  /** The cascade's first stage, resolved once from `config.cascade` and the given base model. */
  readonly #cascade: CascadeStage | undefined;
  #count = 0;

  constructor(
    readonly model: DiffusionMapModel,
    config: DiffusionGeneratorConfigInput = {},
    readonly contributionId = `gen-diffusion/${DIFFUSION_GENERATOR_ID}`,
    /** The model `config.cascade.base` names (required with `cascade`). */
    cascadeBase?: DiffusionMapModel,
  ) {
    this.config = validateConfig(diffusionGeneratorConfigSchema, config, 'diffusion generator config');
    const cascade = this.config.cascade;
    if (cascade && !cascadeBase) {
      throw new TwinforgeError('MODEL_INVALID', `config.cascade names base model "${cascade.base}" but none was given`);
    }
    this.#cascade = cascade && cascadeBase ? { base: cascadeBase, level: cascade.level } : undefined;
  }

  sample(condition: Condition, rng: Rng): Scenario {
    return this.sampleMany([condition], rng)[0] as Scenario;
  }

  /** Several scenarios with one batched DDIM run (much cheaper per map than one sample() each). */
  sampleMany(conditions: readonly Condition[], rng: Rng): Scenario[] {
    const specs = this.model.config.conditions;
    const rows = conditions.map((c) => conditionValues(specs, c));
    const { cascade, sampling } = this.config;
    const maps = this.#cascade
      ? sampleCascade(this.model, this.#cascade, rows, rng, sampling)
      : this.model.sample(rows, rng, sampling);
    const { codec, width, height } = this.model.config;
    const meta = this.model.metadata;
    const area = Array.isArray(meta.area_m) ? (meta.area_m[0] as number) : 5000;
    const cell = this.config.cellSize_m ?? area / width;
    const levels = Array.isArray(meta.load_levels_Mbps) ? (meta.load_levels_Mbps as number[]) : undefined;
    return maps.map((m, i) => {
      const data = m.map((v) => Math.min(codec.hi, Math.max(codec.lo, v)));
      const grid: Grid = { width, height, cellSize_m: cell, unit: codec.unit, data };
      const params: Record<string, number | string | boolean> = {};
      specs.forEach((s, j) => {
        const v = rows[i]?.[j];
        if (v !== null && v !== undefined) params[s.name] = v;
      });
      if (levels && typeof params.loadLevel === 'number') params.offeredLoad_Mbps = levels[params.loadLevel] as number;
      const seed = rng.nextUint32();
      return {
        id: `diffusion-${seed.toString(16)}-${this.#count++}`,
        seed,
        params,
        maps: { [codec.name]: grid },
        events: [],
        provenance: {
          generator: this.contributionId,
          version: '0.1.0',
          map: codec.column,
          guidance: this.config.sampling.guidance,
          steps: this.config.sampling.steps,
          ...(cascade ? { cascadeBase: cascade.base, cascadeLevel: cascade.level } : {}),
        },
      };
    });
  }
}
