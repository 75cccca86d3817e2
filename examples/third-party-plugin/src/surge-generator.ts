import type { Condition, Rng, Scenario, ScenarioGenerator } from '@twinforge/core';
import { z } from 'zod';

export const surgeConfigSchema = z.strictObject({
  horizon_s: z.number().positive().default(100),
  maxSurges: z.number().int().min(0).default(3),
});

/** Random traffic surges: the number, start, factor and length of each drawn from the run's seeded stream. */
export class SurgeGenerator implements ScenarioGenerator {
  #count = 0;
  constructor(private readonly config: z.output<typeof surgeConfigSchema>) {}
  sample(condition: Condition, rng: Rng): Scenario {
    const n = rng.int(0, this.config.maxSurges);
    const events = Array.from({ length: n }, () => ({
      kind: 'traffic-surge' as const,
      t: Math.floor(rng.uniform(0, this.config.horizon_s)),
      factor: rng.uniform(1.5, 3),
      duration_s: rng.int(5, 20),
    })).sort((a, b) => a.t - b.t);
    return {
      id: `surge-${this.#count++}`,
      seed: rng.nextUint32(),
      params: { ...condition, surges: n },
      events,
      provenance: { generator: 'twinforge-plugin-example/example-surges' },
    };
  }
}
