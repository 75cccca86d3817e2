import { z } from 'zod';
import type { Condition, ScenarioGenerator } from '../contracts/generator.js';
import type { Rng } from '../rng/rng.js';
import type { Scenario, ScenarioEvent } from '../scenario.js';

const position = z.strictObject({ x: z.number(), y: z.number() });
const eventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('node-fail'), t: z.number().min(0), node: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('node-recover'), t: z.number().min(0), node: z.number().int().min(0) }),
  z.strictObject({
    kind: z.literal('jammer-on'),
    t: z.number().min(0),
    jammer: z.number().int().min(0),
    position,
    radius_m: z.number().positive(),
    power_W: z.number().positive(),
    channel: z.number().int().min(0),
  }),
  z.strictObject({ kind: z.literal('jammer-off'), t: z.number().min(0), jammer: z.number().int().min(0) }),
  z.strictObject({
    kind: z.literal('traffic-surge'),
    t: z.number().min(0),
    region: z.strictObject({ center: position, radius_m: z.number().positive() }).optional(),
    factor: z.number().positive(),
    duration_s: z.number().positive(),
  }),
  z.strictObject({
    kind: z.literal('link-degrade'),
    t: z.number().min(0),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    loss_dB: z.number().min(0),
    duration_s: z.number().positive().optional(),
  }),
]);

/** zod schema of one ScenarioEvent, for configs that carry timelines. */
export const scenarioEventSchema = eventSchema;

export const staticGeneratorConfigSchema = z.strictObject({
  /** The timeline every sampled scenario carries (sorted by time on load). */
  events: z.array(eventSchema).default([]),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

/** Replays one fixed timeline: the default generator, and the way to run a hand-written case study. */
export class StaticGenerator implements ScenarioGenerator {
  readonly #events: ScenarioEvent[];
  #count = 0;
  constructor(private readonly config: z.output<typeof staticGeneratorConfigSchema>) {
    this.#events = [...(config.events as ScenarioEvent[])].sort((a, b) => a.t - b.t);
  }
  sample(condition: Condition, rng: Rng): Scenario {
    const seed = rng.nextUint32();
    return {
      id: `static-${this.#count++}`,
      seed,
      params: { ...this.config.params, ...condition },
      events: this.#events,
      provenance: { generator: 'static' },
    };
  }
}
