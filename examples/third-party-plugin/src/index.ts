import { definePlugin } from '@twinforge/core';
import { QueueEnv, queueConfigSchema } from './queue-env.js';
import { SurgeGenerator, surgeConfigSchema } from './surge-generator.js';

export { type QueueConfig, QueueEnv, queueConfigSchema } from './queue-env.js';
export { SurgeGenerator } from './surge-generator.js';

/** The plugin: what `createHost({ plugins: ['example'] })` imports by package name. */
export default definePlugin({
  manifest: {
    name: 'twinforge-plugin-example',
    version: '0.1.0',
    apiVersion: '^1.0.0',
    provides: { environments: ['example-queue'], generators: ['example-surges'] },
  },
  register(ctx) {
    ctx.environments.register('example-queue', {
      configSchema: queueConfigSchema,
      description: 'Admission control at an edge server queue',
      create: (config, deps) => new QueueEnv(config, deps.rng),
    });
    ctx.generators.register('example-surges', {
      configSchema: surgeConfigSchema,
      description: 'Random traffic surges',
      create: (config) => new SurgeGenerator(config),
    });
  },
});
