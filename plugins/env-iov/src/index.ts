// Public surface of @twinforge/plugin-env-iov: the plugin (default export) and the model it is built on.
import { definePlugin } from '@twinforge/core';
import { iovConfigSchema } from './config.js';
import { IovEnv } from './iov-env.js';

export {
  type AccessPointConfig,
  accessPointSchema,
  DEFAULT_ACCESS_POINTS,
  type IovConfig,
  type IovConfigInput,
  iovConfigSchema,
} from './config.js';
export { CoverageProfile, type RadioParams, rateAt } from './coverage-profile.js';
export { IovEnv } from './iov-env.js';
export { IovModel, OBS_FIRST_AP, OBS_POSITION, OBS_TASK_SIZE } from './iov-model.js';
export { type TransmissionOutcome, type TransmissionResult, transmit } from './transmission.js';

export const PLUGIN_NAME = '@twinforge/plugin-env-iov';

/** The plugin: registers the `iov` environment. */
export default definePlugin({
  manifest: {
    name: PLUGIN_NAME,
    version: '0.1.0',
    apiVersion: '^1.0.0',
    description: 'URLLC vehicle access-point selection (seed 001, case A)',
    provides: { environments: ['iov'] },
  },
  register(ctx) {
    ctx.environments.register('iov', {
      configSchema: iovConfigSchema,
      description: 'A vehicle on a straight road picks the AP for each task: coverage, cost, rate and deadline',
      create: (config, deps) => new IovEnv(config, deps.rng),
    });
  },
});
