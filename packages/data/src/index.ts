// Public surface of @twinforge/data.

export { type BatchReadOptions, DatasetBatches, type RowRange } from './dataset-batches.js';
export {
  DATA_PATH_TEMPLATE,
  type DatasetInfo,
  EPISODES_PATH_TEMPLATE,
  type FeatureInfo,
  featuresOf,
  type TrajectoryInfo,
} from './dataset-info.js';
export { DatasetReader, type TrajectoryFilter } from './dataset-reader.js';
export { ParquetEncoderPool, sharedEncoderPool } from './encoder-pool.js';
export { episodeTable, type TrajectorySummary } from './episode-table.js';
export { type D4rlTable, exportJsonl, toD4rl } from './export-dataset.js';
export { type FeatureStats, FeatureStatsAccumulator } from './feature-stats.js';
export { type DatasetSummary, inspectDataset } from './inspect-dataset.js';
export {
  DATA_FILE,
  dataFile,
  EPISODES_FILE,
  INFO_FILE,
  ParquetDatasetSink,
  type ParquetDatasetSinkOptions,
  STATS_FILE,
} from './parquet-dataset-sink.js';
export { type EncodeOptions, encodeInThread, type ParquetEncoder } from './parquet-encoder.js';
export {
  readParquetFile,
  type WriteParquetOptions,
  type WrittenFile,
  writeFileAtomic,
  writeParquetFile,
} from './parquet-file.js';
export { type ExpectedFile, type FooterLocation, locateFooter } from './parquet-footer.js';
export { type FooterMetadata, readFooterMetadata } from './parquet-footer-metadata.js';
export { estimateRowBytes } from './row-width.js';
export {
  ACTION_COLUMN,
  actionType,
  FORMAT_VERSION_KEY,
  OBSERVATION_COLUMN,
  schemaDifference,
  TRAJECTORY_FORMAT_VERSION,
  trajectorySchema,
} from './schema.js';
export { type ColumnSpace, columnSpace, sharedColumnSpace } from './spaces.js';
export { TrajectoryBatchBuilder } from './trajectory-batch-builder.js';
export { writeStream } from './write-stream.js';
