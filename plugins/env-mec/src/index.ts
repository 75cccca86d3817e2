// Public surface of @twinforge/plugin-env-mec: the plugin (default export) and the MEC system model it is built on.
import { definePlugin } from '@twinforge/core';
import { mecEnvConfigSchema } from './config.js';
import { MecEnv } from './mec-env.js';

export { optimalTxPower, sqrtShareCpuInto, trimToCapacity } from './allocation.js';
export {
  type MecEnvConfig,
  type MecEnvConfigInput,
  type MecSpec,
  mecEnvConfigSchema,
  resolveMecSpec,
} from './config.js';
export { type MecAllocation, MecCostModel, type MecInstance, solveAllocation, toDirsInstance } from './cost-model.js';
export { RayleighFading } from './fading.js';
export { type KMeansResult, kMeans } from './kmeans.js';
export { buildLayout, gridPositions, type LayoutOptions, type MecLayout } from './layout.js';
export { FastNormal, fastUniform, gammaFn, LevySteps, mantegnaSigma } from './levy.js';
export { MecEnv, type MecStepInfo } from './mec-env.js';
export { MecSystem } from './mec-system.js';
export { equalAllocation, MIN_CPU_WEIGHT, policyAllocation } from './policy-allocation.js';
export { type PositionDistribution, type PositionOptions, reflect, samplePositions } from './positions.js';
export {
  MEC_SCENARIO_NAMES,
  MEC_SCENARIOS,
  type MecScenarioName,
  type MecScenarioPreset,
  TABLE_I,
  TASK_TYPE_NAMES,
  TASK_TYPES,
  type TaskType,
} from './presets.js';
export { decisionToScores, maxVoteInto, repairDecision } from './vote.js';

export const PLUGIN_NAME = '@twinforge/plugin-env-mec';

/** The plugin: registers the `mec` parallel environment. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description: 'DIRS multi-MEC offloading environment (seed 004)',
    provides: { environments: ['mec'] },
  },
  register(ctx) {
    ctx.environments.register('mec', {
      configSchema: mecEnvConfigSchema,
      description: 'M MECs, N IoT devices: binary offloading by max vote, per-MEC CPU and power allocation (DIRS)',
      create: (config, deps) => new MecEnv(config, deps.rng),
    });
  },
});
