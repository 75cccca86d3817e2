// Public surface of @twinforge/plugin-learner-dqn: the plugin (default export) and the DQN parts later learners
// (DT-QL's DQN variant, DIRS) build on.
import { definePlugin } from '@twinforge/core';
import { dqnConfigSchema } from './config.js';
import { DqnLearner } from './dqn-learner.js';

export {
  type DqnConfig,
  dqnConfigSchema,
  type PrioritizedConfig,
  prioritizedConfigSchema,
  type ResolvedDqnConfig,
  resolvePrioritized,
} from './config.js';
export { DqnAgent, type DqnAgentOptions, type DqnTransition } from './dqn-agent.js';
export { DQN_CHECKPOINT_VERSION, type DqnCheckpointMetadata, readDqnMetadata } from './dqn-checkpoint.js';
export { DqnLearner } from './dqn-learner.js';
export { type DqnTargetInputs, dqnTargets } from './dqn-targets.js';
export { type DiscreteEnvSpec, discreteEnvSpec } from './env-spec.js';
export { linearSchedule } from './schedule.js';

export const PLUGIN_NAME = '@twinforge/plugin-learner-dqn';

/** The plugin: registers the `dqn` learner for single-agent environments with a Discrete action space. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description: 'DQN / double DQN with optional prioritized replay and n-step returns',
    provides: { learners: ['dqn'] },
  },
  register(ctx) {
    ctx.learners.register('dqn', {
      configSchema: dqnConfigSchema,
      description: 'Deep Q-network (double DQN by default), rl-zoo CartPole-v1 defaults',
      supports: ['*'],
      create: (config, deps) => new DqnLearner(config, deps.rng, deps.logger),
    });
  },
});
