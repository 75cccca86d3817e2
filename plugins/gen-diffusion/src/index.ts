// Public surface of @twinforge/plugin-gen-diffusion.

export { type CascadeStage, sampleCascade } from './cascade.js';
export {
  type DiffusionModelConfig,
  type DiffusionModelConfigInput,
  diffusionModelConfigSchema,
  mlpDenoiserSchema,
  type SampleConfig,
  type SampleConfigInput,
  sampleConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
  unetDenoiserSchema,
} from './config.js';
export {
  type ConditionSpec,
  type ConditionValues,
  conditionSpecSchema,
  conditionValues,
  conditionWidth,
  encodeConditions,
} from './diffusion/conditions.js';
export { ddimSampleBatch } from './diffusion/ddim.js';
export { decodeMap, encodeMap, type MapCodec, mapCodecSchema } from './diffusion/map-codec.js';
export { upsampleNearest } from './diffusion/resample.js';
export { type CosineScheduleOptions, cosineSchedule, ddimTimesteps, type NoiseSchedule } from './diffusion/schedule.js';
export { type TrainingSet, type TrainProgress, type TrainResult, trainDiffusion } from './diffusion/trainer.js';
export { DiffusionMapModel, type MapExamples } from './diffusion-model.js';
export {
  DIFFUSION_GENERATOR_ID,
  type DiffusionGeneratorConfig,
  type DiffusionGeneratorConfigInput,
  DiffusionScenarioGenerator,
  diffusionGeneratorConfigSchema,
} from './generator.js';
export { readSnapshotMaps, SNAPSHOTS_FILE, type SnapshotMaps } from './mesh-snapshots.js';
export { Conv3x3 } from './nn/conv3x3.js';
export type { Denoiser } from './nn/denoiser.js';
export { MlpDenoiser } from './nn/mlp-denoiser.js';
export { UnetDenoiser } from './nn/unet-denoiser.js';
export { createDiffusionPlugin, default, diffusionPluginOptionsSchema, PLUGIN_NAME } from './plugin.js';
