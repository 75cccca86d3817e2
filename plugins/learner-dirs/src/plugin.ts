// The plugin object: learners 'dirs' and the MEC baselines.

import { definePlugin } from '@twinforge/core';
import type { MecEnv } from '@twinforge/plugin-env-mec';
import { z } from 'zod';
import { greedyPolicy, localPolicy, randomPolicy, remotePolicy } from './baselines/simple.js';
import { dirsConfigSchema } from './config.js';
import type { DecisionPolicy } from './decision-policy.js';
import { DirsLearner, MecDecisionLearner } from './learners.js';
import { dePolicy } from './search/de.js';
import { exactPolicy } from './search/exact.js';
import { psoPolicy } from './search/pso.js';

export const PLUGIN_NAME = '@twinforge/plugin-learner-dirs';

const none = z.strictObject({});
const swarm = z.strictObject({
  particles: z.number().int().min(4).default(50),
  iterations: z.number().int().min(0).default(1000),
});

/** Baselines of seed 004 §V-D (and the exact optimum) as learners of the 'mec' environment. */
const BASELINES: Record<
  string,
  {
    schema: z.ZodType;
    make: (config: never) => (env: MecEnv) => DecisionPolicy;
    description: string;
  }
> = {
  'mec-local': { schema: none, make: () => () => localPolicy, description: 'Every device computes locally' },
  'mec-random': {
    schema: none,
    make: () => () => randomPolicy,
    description: 'Random choice, local when the MEC is full',
  },
  'mec-remote': {
    schema: none,
    make: () => (env) => remotePolicy(env.system.layout.nearestMec),
    description: 'Nearest MEC, largest tasks local when it is full',
  },
  'mec-greedy': { schema: none, make: () => () => greedyPolicy, description: 'Greedy marginal-cost assignment' },
  'mec-pso': {
    schema: swarm,
    make: (c: z.output<typeof swarm>) => () => psoPolicy({ particles: c.particles, iterations: c.iterations }),
    description: 'Particle swarm optimisation on P0 with the exact allocation',
  },
  'mec-de': {
    schema: swarm,
    make: (c: z.output<typeof swarm>) => () => dePolicy({ population: c.particles, generations: c.iterations }),
    description: 'Differential evolution on P0 with the exact allocation',
  },
  'mec-exact': {
    schema: none,
    make: () => () => exactPolicy,
    description: 'Exact optimum by min-cost flow (equal tasks)',
  },
};

/** The plugin: the 'dirs' learner and the MEC baselines, for the 'mec' environment of plugin-env-mec. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description: 'DIRS learner and MEC offloading baselines (seed 004)',
    dependsOn: ['@twinforge/plugin-env-mec'],
    provides: { learners: ['dirs', ...Object.keys(BASELINES)] },
  },
  register(ctx) {
    ctx.learners.register('dirs', {
      configSchema: dirsConfigSchema,
      description: 'DIRS: per-MEC agents, max-vote ensemble, Lévy flight search, imitation pre-training',
      supports: ['mec'],
      create: (config, deps) => new DirsLearner(config, deps.rng),
    });
    for (const [id, b] of Object.entries(BASELINES)) {
      ctx.learners.register(id, {
        configSchema: b.schema,
        description: b.description,
        supports: ['mec'],
        create: (config, deps) => new MecDecisionLearner(id, b.make(config as never), deps.rng),
      });
    }
  },
});
