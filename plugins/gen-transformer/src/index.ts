// Public surface of @twinforge/plugin-gen-transformer.

export {
  type SampleConfig,
  type SampleConfigInput,
  sampleConfigSchema,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
} from './config.js';
export {
  type EventModelConfig,
  type EventModelConfigInput,
  EventSequenceModel,
  eventModelConfigSchema,
  type TimelineExamples,
} from './event-model.js';
export { EVENTS_FILE, readScenarioTimelines, SCENARIOS_FILE, type ScenarioTimelines } from './events-dataset.js';
export {
  EVENT_GENERATOR_ID,
  type EventGeneratorConfig,
  type EventGeneratorConfigInput,
  EventScenarioGenerator,
  eventGeneratorConfigSchema,
} from './generator.js';
export {
  EventTransformer,
  type TransformerConfig,
  type TransformerConfigInput,
  transformerConfigSchema,
} from './model/event-transformer.js';
export { createTransformerPlugin, default, PLUGIN_NAME, transformerPluginOptionsSchema } from './plugin.js';
export { pickToken, sampleTimelines } from './sample/sampler.js';
export { encodeTimeline } from './tokens/encode.js';
export { fitVocabulary, type VocabularyOptions } from './tokens/fit-vocabulary.js';
export {
  decodingMasks,
  EVENT_SLOTS,
  OPEN_NODES_CAP,
  openStateCount,
  openStates,
  openStateWidth,
  type Slot,
  type SlotRole,
  TimelineDecoder,
} from './tokens/grammar.js';
export { fitQuantizer, fromBin, type Quantizer, quantizerSchema, toBin } from './tokens/quantizer.js';
export {
  BOS,
  EOS,
  PAD,
  type PrefixCondition,
  prefixConditionSchema,
  type SlotGroup,
  Vocabulary,
  type VocabularyConfig,
  vocabularyConfigSchema,
} from './tokens/vocabulary.js';
export { meshSymmetries } from './train/augment.js';
export { type TrainProgress, type TrainResult, trainTransformer } from './train/trainer.js';
