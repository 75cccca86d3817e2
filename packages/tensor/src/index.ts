// Public surface of @twinforge/tensor; nothing outside this file is API.
//
// Import order matters only for tf: './tf.js' registers tfjs's gradients before anything runs.

export {
  BACKEND_CANDIDATES,
  BACKEND_IDS,
  type BackendCandidate,
  type BackendId,
  parseBackendId,
} from './backend/candidates.js';
export {
  BACKEND_ENV_VAR,
  type BackendAttempt,
  type BackendInfo,
  currentBackend,
  type InitBackendOptions,
  initTensorBackend,
  type ModuleLoader,
  requireBackend,
  selectBackend,
} from './backend/init-backend.js';
export { wasmFilePaths } from './backend/wasm-paths.js';
export {
  binaryCrossEntropy,
  huberLoss,
  type LossOptions,
  l2Penalty,
  mseLoss,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
} from './loss/losses.js';
export { ACTIVATIONS, type Activation, activate, DEFAULT_LEAKY_RELU_ALPHA } from './nn/activations.js';
export { affine } from './nn/affine.js';
export { Dense, makeVariable } from './nn/dense.js';
export { type InitSpec, initLayer, initSpecSchema, orthogonal } from './nn/initializers.js';
export { isNoisyLayer, type Layer, type LayerApplyOptions, type NoisyLayer } from './nn/layer.js';
export {
  createMlp,
  Mlp,
  type MlpApplyOptions,
  type MlpConfig,
  mlpConfigSchema,
  type ResolvedMlpConfig,
} from './nn/mlp.js';
export { type Module, type NamedVariable, variablesOf, type WeightSource } from './nn/module.js';
export { DEFAULT_NOISY_SIGMA0, NoisyLinear } from './nn/noisy-linear.js';
export { normalTensor, pickActions, uniformTensor } from './nn/random.js';
export { createTwinCritic, TwinCritic, type TwinCriticConfig, twinCriticConfigSchema } from './nn/twin-critic.js';
export { Adam, type AdamConfig, adamConfigSchema, type LossFn, type StepResult } from './optim/adam.js';
export { clipByGlobalNorm, globalNorm } from './optim/clip.js';
export { TensorAdam, type TensorAdamConfig } from './optim/tensor-adam.js';
export * as tf from './tf.js';
export {
  loadWeights,
  readCheckpoint,
  type SaveWeightsOptions,
  saveWeights,
  type WeightGroups,
} from './weights/checkpoint.js';
export { parseCheckpointMetadata, readCheckpointMetadata } from './weights/checkpoint-metadata.js';
export { countParameters, getFlatWeights, setFlatWeights } from './weights/flat.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  MANIFEST_FILE,
  type TensorEntry,
  type WeightsManifest,
} from './weights/manifest.js';
export { modelCheckpointSchema } from './weights/model-checkpoint.js';
export { hardUpdate, softUpdate } from './weights/target-update.js';
