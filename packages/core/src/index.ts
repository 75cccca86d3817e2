// tsyringe needs the Reflect metadata polyfill at import time; loading it here means a consumer that only wants
// errors or the RNG (e.g. @twinforge/physics) works without its own import. Entry points may still import it first.
import 'reflect-metadata';

// Public surface of @twinforge/core, sorted by module: everything a plugin or a pipeline needs is exported here and
// nothing else is API. The built-ins (builtin/*) are exported so tests and examples can construct them directly.
export { builtinPlugin } from './builtin/plugin.js';
export { RandomLearner } from './builtin/random-learner.js';
export { StaticGenerator, scenarioEventSchema } from './builtin/static-generator.js';
export {
  type ToyChannelAccessConfig,
  ToyChannelAccessEnv,
  toyChannelAccessConfigSchema,
} from './builtin/toy-channel-access-env.js';
export { type ToyChannelConfig, ToyChannelEnv, toyChannelConfigSchema } from './builtin/toy-channel-env.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { formatPath, validateConfig } from './config.js';
export * from './contracts/env.js';
export * from './contracts/executor.js';
export * from './contracts/generator.js';
export * from './contracts/learner.js';
export * from './contracts/records.js';
export {
  assertFinite,
  ERROR_CODES,
  isTwinforgeError,
  TwinforgeError,
  type TwinforgeErrorCode,
  type TwinforgeErrorOptions,
} from './errors.js';
export { createHost, type Host, type HostOptions } from './host/host.js';
export type { PluginSpec } from './host/prepare.js';
export { Registry, type RegistryEntry } from './host/registry.js';
export { ConsoleLogger, type Logger, type LogLevel, MemoryLogger, silentLogger } from './logger.js';
export { type EpisodeLoopOptions, runEpisodes, SINGLE_AGENT_ID, type Transition } from './pipeline/episode-loop.js';
export type { PipelineEvent, PipelineResult, PipelineStatus } from './pipeline/events.js';
export { PipelineBuilder, type PipelineRun, type RunOptions } from './pipeline/pipeline.js';
export type {
  Contribution,
  ContributionKind,
  EnvironmentContribution,
  FactoryDeps,
  GeneratorContribution,
  LearnerContribution,
} from './plugin/contribution.js';
export {
  definePlugin,
  type PluginContext,
  type Registrar,
  type ServiceRegistrar,
  type TwinforgePlugin,
} from './plugin/define-plugin.js';
export { listInstalledPlugins, loadPluginByName, pluginPackageCandidates } from './plugin/load-plugin.js';
export { manifestSchema, type PluginManifest, type PluginManifestInput } from './plugin/manifest.js';
export { createRng, Rng, type RngState } from './rng/rng.js';
export { rngStateSchema } from './rng/rng-state-schema.js';
export * from './scenario.js';
export { validateScenario } from './scenario-validate.js';
export { closest, didYouMean, editDistance } from './suggest.js';
export { TOKENS, type TokenName } from './tokens.js';
export { API_VERSION, CORE_VERSION } from './version.js';
