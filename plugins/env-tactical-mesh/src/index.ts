// Public surface of @twinforge/plugin-env-tactical-mesh; nothing outside this file is API.
import { tacticalMeshPlugin } from './plugin.js';

export * from './baselines.js';
export * from './case-study.js';
export * from './case-study-generator.js';
export * from './central-env.js';
export * from './config.js';
export * from './global-state.js';
export * from './grids.js';
export { attemptSuccess, linkSinr, sinrAt } from './interference.js';
export * from './mesh-state.js';
export * from './metrics.js';
export * from './observation.js';
export * from './playback.js';
export { PLUGIN_NAME, PLUGIN_VERSION, tacticalMeshPlugin } from './plugin.js';
export * from './radio.js';
export * from './randomized-scenarios.js';
export { readPositions } from './reset-positions.js';
export * from './reward.js';
export * from './scenario-maps.js';
export * from './shortest-path.js';
export * from './step-counters.js';
export * from './tactical-mesh-env.js';
export * from './topology.js';

export default tacticalMeshPlugin;
