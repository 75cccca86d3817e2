import { definePlugin } from '@twinforge/core';
import { CaseStudyGenerator, caseStudyGeneratorConfigSchema } from './case-study-generator.js';
import { TacticalMeshCentralEnv } from './central-env.js';
import { tacticalMeshConfigSchema } from './config.js';
import { RandomizedScenarioGenerator, randomizedScenarioConfigSchema } from './randomized-scenarios.js';
import { TacticalMeshEnv } from './tactical-mesh-env.js';

/** Equals package.json name and version (the host checks both). */
export const PLUGIN_NAME = '@twinforge/plugin-env-tactical-mesh';
export const PLUGIN_VERSION = '0.1.0';

/** The plugin: `createHost({ plugins: ['@twinforge/plugin-env-tactical-mesh'] })` or the imported default. */
export const tacticalMeshPlugin = definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: PLUGIN_VERSION,
    apiVersion: '^1.0.0',
    description:
      'Tactical edge mesh of EdgeAgentX-DT (seed 003) with jamming, failures, surges; case-study and randomised scenarios',
    provides: {
      environments: ['tactical-mesh', 'tactical-mesh-central'],
      generators: ['tactical-case-study', 'tactical-random'],
    },
  },
  register(ctx) {
    ctx.environments.register('tactical-mesh', {
      configSchema: tacticalMeshConfigSchema,
      description: 'N mobile radios relaying to a gateway under jamming (ParallelEnv, one agent per node)',
      create: (config, deps) => new TacticalMeshEnv(config, deps.rng),
    });
    ctx.environments.register('tactical-mesh-central', {
      configSchema: tacticalMeshConfigSchema,
      description: 'The tactical mesh as one centralised agent observing state() (the oracle of seed 003)',
      create: (config, deps) => new TacticalMeshCentralEnv(config, deps.rng),
    });
    ctx.generators.register('tactical-case-study', {
      configSchema: caseStudyGeneratorConfigSchema,
      description: 'Seed 003 case study: jammer at 50 s (1 km, ~80 % loss), relay failure at 60 s, traffic x2 55-85 s',
      create: (config) => new CaseStudyGenerator(config),
    });
    ctx.generators.register('tactical-random', {
      configSchema: randomizedScenarioConfigSchema,
      description: 'Domain randomisation over layouts, jammers, failures, surges, link degradations and load levels',
      create: (config) => new RandomizedScenarioGenerator(config),
    });
  },
});
