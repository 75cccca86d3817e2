import { definePlugin } from '../plugin/define-plugin.js';
import { API_VERSION, CORE_VERSION } from '../version.js';
import { RandomLearner, randomLearnerConfigSchema } from './random-learner.js';
import { StaticGenerator, staticGeneratorConfigSchema } from './static-generator.js';
import { ToyChannelAccessEnv, toyChannelAccessConfigSchema } from './toy-channel-access-env.js';
import { ToyChannelEnv, toyChannelConfigSchema } from './toy-channel-env.js';

/** Core's own contributions, registered first by every host unless `builtins: false`. */
export const builtinPlugin = definePlugin({
  manifest: {
    name: '@twinforge/core',
    version: CORE_VERSION,
    apiVersion: `^${API_VERSION}`,
    description: 'Built-in toy environment, static scenario generator and random learner',
    provides: { environments: ['toy-channel', 'toy-channel-access'], generators: ['static'], learners: ['random'] },
  },
  register(ctx) {
    ctx.environments.register('toy-channel', {
      configSchema: toyChannelConfigSchema,
      description: 'Pick one of K radio channels; jammer events jam one (for tests and demos)',
      create: (config, deps) => new ToyChannelEnv(config, deps.rng),
    });
    ctx.environments.register('toy-channel-access', {
      configSchema: toyChannelAccessConfigSchema,
      description: 'N radios contend for K channels; collisions and jammer events (multi-agent, for tests and demos)',
      create: (config, deps) => new ToyChannelAccessEnv(config, deps.rng),
    });
    ctx.generators.register('static', {
      configSchema: staticGeneratorConfigSchema,
      description: 'Replays one fixed event timeline',
      create: (config) => new StaticGenerator(config),
    });
    ctx.learners.register('random', {
      configSchema: randomLearnerConfigSchema,
      description: 'Uniformly random actions',
      supports: ['*'],
      create: (_config, deps) => new RandomLearner(deps.rng),
    });
  },
});
