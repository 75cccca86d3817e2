import { type Condition, type Rng, type Scenario, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import { type CaseStudy, caseStudyScenario } from './case-study.js';
import { type TacticalMeshConfig, tacticalMeshConfig, tacticalMeshConfigSchema } from './config.js';

export const caseStudyGeneratorConfigSchema = z.strictObject({
  /** Fixed layout seed; omitted, each sample draws one (or takes `layoutSeed` from the condition). */
  layoutSeed: z.number().int().min(0).optional(),
  /** Target mean packet loss inside the jammer's radius (seed 003: ~80 %). */
  jammerLoss: z.number().gt(0).lt(1).default(0.8),
  /** The mesh the scenario is built for; must match the environment's config. */
  mesh: z.record(z.string(), z.unknown()).default({}),
});

export type CaseStudyGeneratorConfigInput = z.input<typeof caseStudyGeneratorConfigSchema>;

/**
 * The paper's case study as a scenario generator (seed 003 §X): jammer at 50 s (1 km, ~80 % loss), relay failure at
 * 60 s, traffic ×2 from 55 s to 85 s, built for the layout of `layoutSeed` (see caseStudyScenario). Built scenarios
 * are cached per layout seed.
 */
export class CaseStudyGenerator {
  readonly mesh: TacticalMeshConfig;
  readonly #config: z.output<typeof caseStudyGeneratorConfigSchema>;
  readonly #cache = new Map<number, CaseStudy>();

  constructor(config: CaseStudyGeneratorConfigInput = {}) {
    this.#config = validateConfig(caseStudyGeneratorConfigSchema, config, 'tactical-case-study generator config');
    this.mesh = tacticalMeshConfig(validateConfig(tacticalMeshConfigSchema, this.#config.mesh, 'mesh'));
  }

  sample(condition: Condition, rng: Rng): Scenario {
    const fromCondition = condition.layoutSeed;
    const layoutSeed =
      typeof fromCondition === 'number' && Number.isInteger(fromCondition) && fromCondition >= 0
        ? fromCondition
        : (this.#config.layoutSeed ?? rng.int(1, 1_000_000));
    return this.build(layoutSeed).scenario;
  }

  /** The case study for a layout seed, with the choices made (jammer, relay, calibrated loss). */
  build(layoutSeed: number): CaseStudy {
    let cs = this.#cache.get(layoutSeed);
    if (!cs) {
      cs = caseStudyScenario(this.mesh, { layoutSeed, jammerLoss: this.#config.jammerLoss });
      this.#cache.set(layoutSeed, cs);
    }
    return cs;
  }
}
