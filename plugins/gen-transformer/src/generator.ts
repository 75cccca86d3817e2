import {
  type Condition,
  type Rng,
  type Scenario,
  type ScenarioGenerator,
  TwinforgeError,
  validateConfig,
} from '@twinforge/core';
import { z } from 'zod';
import { sampleConfigSchema } from './config.js';
import type { EventSequenceModel } from './event-model.js';

export const eventGeneratorConfigSchema = z.strictObject({
  /** Which loaded model to sample (plugin option `models` key); default: the only one. */
  model: z.string().min(1).optional(),
  sampling: sampleConfigSchema.default({ temperature: 1, topK: 0, constrained: true, batchSize: 256 }),
  /** params.layoutSeed of every scenario (the tactical mesh's node layout); default: a fresh draw per scenario. */
  layoutSeed: z.number().int().min(0).optional(),
});
export type EventGeneratorConfigInput = z.input<typeof eventGeneratorConfigSchema>;
export type EventGeneratorConfig = z.output<typeof eventGeneratorConfigSchema>;

export const EVENT_GENERATOR_ID = 'transformer-events';

/**
 * The event transformer as a ScenarioGenerator: `sample(condition, rng)` decodes one timeline under the condition
 * (keys are the model's prefix conditions, e.g. { jammers: 2, loadLevel: 3 }; a missing key is "unknown") and
 * returns it as a Scenario with no maps. Params carry the given conditions, `offeredLoad_Mbps` when the model knows
 * the dataset's load levels, counts of the generated event kinds and a `layoutSeed`.
 */
export class EventScenarioGenerator implements ScenarioGenerator {
  readonly config: EventGeneratorConfig;
  #count = 0;

  constructor(
    readonly model: EventSequenceModel,
    config: EventGeneratorConfigInput = {},
    readonly contributionId = `gen-transformer/${EVENT_GENERATOR_ID}`,
  ) {
    this.config = validateConfig(eventGeneratorConfigSchema, config, 'event generator config');
  }

  sample(condition: Condition, rng: Rng): Scenario {
    return this.sampleMany([condition], rng)[0] as Scenario;
  }

  /** Several scenarios decoded in one batch. */
  sampleMany(conditions: readonly Condition[], rng: Rng): Scenario[] {
    const specs = this.model.config.vocabulary.conditions;
    const rows = conditions.map((c) =>
      specs.map((s) => {
        const v = c[s.name];
        if (v === undefined) return null;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= s.levels) {
          throw new TwinforgeError(
            'INVALID_ARGUMENT',
            `condition ${s.name} must be an integer in [0, ${s.levels - 1}], got ${JSON.stringify(v)}`,
            { details: { field: s.name } },
          );
        }
        return v;
      }),
    );
    const timelines = this.model.sample(rows, rng, this.config.sampling);
    const levels = this.model.metadata.load_levels_Mbps as number[] | undefined;
    return timelines.map((events, i) => {
      const params: Record<string, number | string | boolean> = {};
      specs.forEach((s, j) => {
        const v = rows[i]?.[j];
        if (v !== null && v !== undefined) params[s.name] = v;
      });
      if (Array.isArray(levels) && typeof params.loadLevel === 'number')
        params.offeredLoad_Mbps = levels[params.loadLevel] as number;
      for (const kind of ['jammer-on', 'node-fail', 'traffic-surge', 'link-degrade'] as const) {
        params[`${kind}-events`] = events.filter((e) => e.kind === kind).length;
      }
      params.layoutSeed = this.config.layoutSeed ?? rng.int(0, 2 ** 31 - 1);
      const seed = rng.nextUint32();
      return {
        id: `transformer-${seed.toString(16)}-${this.#count++}`,
        seed,
        params,
        events,
        provenance: {
          generator: this.contributionId,
          version: '0.1.0',
          temperature: this.config.sampling.temperature,
          topK: this.config.sampling.topK,
          constrained: this.config.sampling.constrained,
        },
      };
    });
  }
}
