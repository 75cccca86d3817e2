// Public surface of @twinforge/plugin-learner-dt-qlearning: the plugin (default export) and its parts.
import { definePlugin } from '@twinforge/core';
import { dtQLearningConfigSchema } from './config.js';
import { dtDqnConfigSchema } from './dqn-config.js';
import { DtDqnLearner } from './dt-dqn-learner.js';
import { DtQLearner } from './dt-q-learner.js';

export { type DtQLearningConfig, type DtQLearningConfigInput, dtQLearningConfigSchema } from './config.js';
export { type DtDqnConfig, type DtDqnConfigInput, dtDqnConfigSchema } from './dqn-config.js';
export { DtDqnLearner, type DtDqnStats } from './dt-dqn-learner.js';
export { DtQLearner, type DtQStats } from './dt-q-learner.js';
export { QTable } from './q-table.js';
export { TabularStates } from './tabular-states.js';
export { TrialRunner, type TrialRunnerOptions } from './trial-runner.js';
export { type TrialRollout, TwinTrials, type TwinTrialsOptions } from './twin-trials.js';

export const PLUGIN_NAME = '@twinforge/plugin-learner-dt-qlearning';

/** The plugin: registers the `dt-qlearning` (tabular) and `dt-dqn` learners. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description:
      'DT-enhanced Q-learning (tabular and DQN): simultaneous trials in forked digital domains, k-step prediction',
    provides: { learners: ['dt-qlearning', 'dt-dqn'] },
  },
  register(ctx) {
    ctx.learners.register('dt-qlearning', {
      configSchema: dtQLearningConfigSchema,
      description: 'Tabular Q-learning; trials n > 1 / predictionSteps k > 1 use a twin of a TwinSource environment',
      supports: ['iov'],
      create: (config, deps) => new DtQLearner(config, deps.rng),
    });
    ctx.learners.register('dt-dqn', {
      configSchema: dtDqnConfigSchema,
      description: 'DQN on @twinforge/tensor; trials n > 1 / predictionSteps k > 1 add twin transitions to its replay',
      supports: ['iov'],
      create: (config, deps) => new DtDqnLearner(config, deps.rng),
    });
  },
});
