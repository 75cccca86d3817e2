// Public surface of @twinforge/rl; nothing outside this file is API.

export { NStepAccumulator, type NStepInput, type NStepTransition } from './buffers/n-step.js';
export {
  type PrioritizedBatch,
  PrioritizedReplay,
  type PrioritizedReplayOptions,
} from './buffers/prioritized-replay.js';
export { ReplayBuffer, type ReplayBufferOptions, type TransitionInput } from './buffers/replay-buffer.js';
export { SumTree } from './buffers/sum-tree.js';
export { createTransitionBatch, type TransitionBatch } from './buffers/transition-batch.js';
export { type CheckEnvOptions, checkEnv } from './check/check-env.js';
export { type ParallelApiTestOptions, parallelApiTest } from './check/parallel-api-test.js';
export type { Env, ParallelEnv } from './env/env.js';
export { CartPoleEnv, makeCartPole } from './envs/cartpole.js';
export { angleNormalize, makePendulum, PendulumEnv } from './envs/pendulum.js';
export { type EvaluateOptions, type EvaluationResult, evaluatePolicy, type Policy } from './loops/evaluate.js';
export {
  type LoopAgent,
  type LoopEvent,
  type LoopTransition,
  type TrainLoopOptions,
  trainLoop,
} from './loops/train-loop.js';
export { Box, type BoxOptions } from './spaces/box.js';
export { Dict, type DictValue } from './spaces/dict.js';
export { Discrete } from './spaces/discrete.js';
export { flatdim, flatten, unflatten } from './spaces/flatten.js';
export { flattenSpace } from './spaces/flatten-space.js';
export { spaceFromJSON } from './spaces/from-json.js';
export { MultiBinary } from './spaces/multi-binary.js';
export { MultiDiscrete } from './spaces/multi-discrete.js';
export { type FlatArray, type JsonBound, Space, type SpaceJSON, type SpaceValue } from './spaces/space.js';
export { Tuple, type TupleValue } from './spaces/tuple.js';
export { AsyncVectorEnv, type AsyncVectorEnvOptions } from './vector/async-vector-env.js';
export { SyncVectorEnv, type SyncVectorEnvOptions } from './vector/sync-vector-env.js';
export type { AutoresetMode, VectorResetResult, VectorStepResult } from './vector/vector-types.js';
export type { WorkerEnvSpec } from './vector/worker-env-spec.js';
export { ClipAction } from './wrappers/clip-action.js';
export { FlattenObservation } from './wrappers/flatten-observation.js';
export { NormalizeObservation } from './wrappers/normalize-observation.js';
export { NormalizeReward } from './wrappers/normalize-reward.js';
export { type EpisodeStatistics, RecordEpisodeStatistics } from './wrappers/record-episode-statistics.js';
export { RescaleAction } from './wrappers/rescale-action.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { ActionWrapper, ObservationWrapper, RewardWrapper, Wrapper } from './wrappers/wrapper.js';
