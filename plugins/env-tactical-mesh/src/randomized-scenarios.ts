import { type Condition, type Rng, type Scenario, type ScenarioEvent, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import { SCENARIO_PARAMS } from './tactical-mesh-env.js';

/**
 * Domain randomisation over layouts, jammers, failures, surges, link degradations and load levels (seed 003 §VII:
 * "a dataset of 1000 random network layouts and interference patterns (including varying numbers of jammers)").
 * The physics then turns each sample into link-quality and interference maps (grids.ts); together they are the
 * training data of the diffusion and transformer generators.
 */
export const randomizedScenarioConfigSchema = z
  .strictObject({
    /** Nodes of the mesh the scenarios are for (node-fail and link-degrade name indices below it). */
    nodes: z.number().int().min(2).default(20),
    width_m: z.number().positive().default(5000),
    height_m: z.number().positive().default(5000),
    channels: z.number().int().min(1).default(3),
    /** Episode length the events are spread over, s. */
    horizon_s: z.number().positive().default(100),
    /** Load levels (total offered Mbps); a scenario takes one uniformly unless the condition names it. */
    loadLevels_Mbps: z.array(z.number().min(0)).min(1).default([1, 2, 4, 6, 8]),
    maxJammers: z.number().int().min(0).max(16).default(3),
    jammerRadius_m: z.tuple([z.number().positive(), z.number().positive()]).default([500, 1500]),
    /** Jammer power range (W), sampled log-uniformly. */
    jammerPower_W: z.tuple([z.number().positive(), z.number().positive()]).default([0.05, 5]),
    maxFailures: z.number().int().min(0).default(2),
    maxSurges: z.number().int().min(0).default(2),
    /** Surge factor range (seed 003 mentions ×2 and ×5 bursts). */
    surgeFactor: z.tuple([z.number().min(0), z.number().min(0)]).default([1.5, 5]),
    maxDegrades: z.number().int().min(0).default(2),
    degradeLoss_dB: z.tuple([z.number().min(0), z.number().min(0)]).default([5, 20]),
  })
  .superRefine((c, ctx) => {
    for (const key of ['jammerRadius_m', 'jammerPower_W', 'surgeFactor', 'degradeLoss_dB'] as const) {
      if (c[key][1] < c[key][0])
        ctx.addIssue({ code: 'custom', path: [key, 1], message: 'must be >= the lower bound' });
    }
  });

export type RandomizedScenarioConfigInput = z.input<typeof randomizedScenarioConfigSchema>;
export type RandomizedScenarioConfig = z.output<typeof randomizedScenarioConfigSchema>;

/** Condition keys the generator honours (fixed values instead of random draws). */
export const RANDOM_CONDITION = {
  jammers: 'jammers',
  loadLevel: 'loadLevel',
  layoutSeed: 'layoutSeed',
} as const;

export class RandomizedScenarioGenerator {
  readonly config: RandomizedScenarioConfig;

  constructor(config: RandomizedScenarioConfigInput = {}) {
    this.config = validateConfig(randomizedScenarioConfigSchema, config, 'tactical-random generator config');
  }

  /**
   * One scenario. Condition: `jammers` (count), `loadLevel` (index into loadLevels_Mbps), `layoutSeed`; anything
   * not named is drawn from `rng`. Params record every choice: layoutSeed, offeredLoad_Mbps, loadLevel, jammers,
   * failures, surges, degrades.
   */
  sample(condition: Condition, rng: Rng): Scenario {
    const c = this.config;
    const H = c.horizon_s;
    // Draws consume `rng`, so consecutive calls on one stream give different scenarios.
    const r = rng;
    const pick = (key: string, lo: number, hi: number): number => {
      const v = condition[key];
      return typeof v === 'number' && Number.isInteger(v) ? Math.min(hi, Math.max(lo, v)) : r.int(lo, hi);
    };
    const layoutSeed = pick(RANDOM_CONDITION.layoutSeed, 0, 2 ** 31 - 1);
    const loadLevel = pick(RANDOM_CONDITION.loadLevel, 0, c.loadLevels_Mbps.length - 1);
    const jammers = pick(RANDOM_CONDITION.jammers, 0, c.maxJammers);
    const failures = r.int(0, Math.min(c.maxFailures, c.nodes));
    const surges = r.int(0, c.maxSurges);
    const degrades = r.int(0, c.maxDegrades);
    const events: ScenarioEvent[] = [];
    const logUniform = (lo: number, hi: number) => Math.exp(r.uniform(Math.log(lo), Math.log(hi)));
    for (let k = 0; k < jammers; k++) {
      const t = r.uniform(0, 0.8 * H);
      events.push({
        kind: 'jammer-on',
        t,
        jammer: k,
        position: { x: r.uniform(0, c.width_m), y: r.uniform(0, c.height_m) },
        radius_m: r.uniform(c.jammerRadius_m[0], c.jammerRadius_m[1]),
        power_W: logUniform(c.jammerPower_W[0], c.jammerPower_W[1]),
        channel: r.int(0, c.channels - 1),
      });
      // Half of the jammers switch off again before the end.
      if (r.bernoulli(0.5)) events.push({ kind: 'jammer-off', t: r.uniform(t, H), jammer: k });
    }
    // Distinct nodes: drawing with replacement failed a node that was already down (and could recover it before its
    // second failure), which the event-validity rules of the generative models count as an invalid timeline.
    const failing = failures > 0 ? r.permutation(c.nodes) : undefined;
    for (let k = 0; k < failures; k++) {
      const node = failing?.[k] as number;
      const t = r.uniform(0, 0.9 * H);
      events.push({ kind: 'node-fail', t, node });
      if (r.bernoulli(0.5)) events.push({ kind: 'node-recover', t: r.uniform(t, H), node });
    }
    for (let k = 0; k < surges; k++) {
      const whole = r.bernoulli(0.3);
      events.push({
        kind: 'traffic-surge',
        t: r.uniform(0, 0.9 * H),
        ...(whole
          ? {}
          : {
              region: {
                center: { x: r.uniform(0, c.width_m), y: r.uniform(0, c.height_m) },
                radius_m: r.uniform(500, 2000),
              },
            }),
        factor: r.uniform(c.surgeFactor[0], c.surgeFactor[1]),
        duration_s: r.uniform(10, 40),
      });
    }
    for (let k = 0; k < degrades; k++) {
      const from = r.int(0, c.nodes - 1);
      // The other end: another node or the gateway (index = nodes).
      let to = r.int(0, c.nodes - 1);
      if (to === from) to = c.nodes;
      events.push({
        kind: 'link-degrade',
        t: r.uniform(0, 0.9 * H),
        from,
        to,
        loss_dB: r.uniform(c.degradeLoss_dB[0], c.degradeLoss_dB[1]),
        duration_s: r.uniform(10, 60),
      });
    }
    // Stable sort by time keeps a jammer's on before its off when both land on the same instant.
    events.sort((a, b) => a.t - b.t);
    const offered = c.loadLevels_Mbps[loadLevel] as number;
    return {
      id: `tactical-random-${layoutSeed}-${r.nextUint32().toString(16)}`,
      seed: layoutSeed,
      params: {
        [SCENARIO_PARAMS.layoutSeed]: layoutSeed,
        [SCENARIO_PARAMS.offeredLoad]: offered,
        loadLevel,
        jammers,
        failures,
        surges,
        degrades,
      },
      events,
      provenance: { generator: 'env-tactical-mesh/tactical-random', version: '0.1.0' },
    };
  }
}
