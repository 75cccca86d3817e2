// Public surface of @twinforge/plugin-learner-td3: the plugin (default export) and the TD3 parts later learners
// (SliceOff's dual-distillation TD3) build on.
import { definePlugin } from '@twinforge/core';
import { td3ConfigSchema } from './config.js';
import { Td3Learner } from './td3-learner.js';

export { type ResolvedTd3Config, type Td3Config, td3ConfigSchema } from './config.js';
export { type BoxEnvSpec, boxEnvSpec } from './env-spec.js';
export { Td3Agent, type Td3AgentOptions, type Td3Transition, type Td3UpdateResult } from './td3-agent.js';
export { readTd3Metadata, TD3_CHECKPOINT_VERSION, type Td3CheckpointMetadata } from './td3-checkpoint.js';
export { Td3Learner } from './td3-learner.js';
export { type ClippedDoubleQInputs, clippedDoubleQTarget, smoothTargetActions } from './td3-targets.js';

export const PLUGIN_NAME = '@twinforge/plugin-learner-td3';

/** The plugin: registers the `td3` learner for single-agent environments with a bounded Box action space. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description: 'TD3: twin critics, target policy smoothing, delayed actor updates',
    provides: { learners: ['td3'] },
  },
  register(ctx) {
    ctx.learners.register('td3', {
      configSchema: td3ConfigSchema,
      description: 'Twin Delayed DDPG (Fujimoto et al. 2018), rl-zoo Pendulum-v1 defaults',
      supports: ['*'],
      create: (config, deps) => new Td3Learner(config, deps.rng, deps.logger),
    });
  },
});
