// Public surface of @twinforge/plugin-learner-dirs: the DIRS learner, its search and the MEC baselines.
export { admitByCapacity } from './baselines/capacity.js';
export { greedyPolicy, localPolicy, randomPolicy, remotePolicy } from './baselines/simple.js';
export { type DirsConfig, type DirsConfigInput, dirsConfigSchema, resolveDirsConfig } from './config.js';
export type { DecisionPolicy, SearchResult } from './decision-policy.js';
export { type DirsDecision, DirsPolicy } from './dirs-policy.js';
export { DirsLearner, MecDecisionLearner } from './learners.js';
export { type AgentBatch, type AgentsStep, DirsAgents, type DirsAgentsOptions } from './nn/dirs-agents.js';
export { GainFeatures, MIN_GAIN } from './nn/features.js';
export { FlatMlp } from './nn/flat-mlp.js';
export { default, PLUGIN_NAME } from './plugin.js';
export { decisionActor, type MecActor, type RolloutOptions, rolloutMec, type SlotRecord } from './rollout.js';
export { type DeOptions, dePolicy, differentialEvolution } from './search/de.js';
export { decodeInto, encodeInto } from './search/encoding.js';
export { exactDecision, exactPolicy } from './search/exact.js';
export { LEVY_ONLINE, type LevySearchOptions, levyFlightSearch } from './search/levy-search.js';
export { type PsoOptions, pso, psoPolicy } from './search/pso.js';
export {
  type Demonstrations,
  DirsTrainer,
  type OnlineReport,
  type PretrainReport,
} from './trainer.js';
