// Public surface of @twinforge/cli: the pieces `twinforge` is made of, for programs that run pipelines or render
// reports without the command line.
export { type LoadedDefinition, loadDefinition } from './definition/load-definition.js';
export {
  type Baseline,
  definePipeline,
  normalizeDefinition,
  type Part,
  type PipelineDefinition,
  type PipelineDefinitionInput,
  type PipelineFactory,
  pipelineDefinitionSchema,
} from './definition/pipeline-definition.js';
export { main } from './program.js';
export { chooseReporter, JsonReporter, PlainReporter, type Reporter, TtyReporter } from './progress/reporters.js';
export { type BuiltReport, buildReport } from './report/build-report.js';
export type { RunEvent } from './run/events.js';
export type { EpisodeRow, EvaluationRow, MetricRow } from './run/metrics-tables.js';
export { createRunDirectory, defaultRunDirectory, RUN_FILES } from './run/run-directory.js';
export { type RunPipelineOptions, type RunRecord, runPipeline } from './run/run-pipeline.js';
export { formatSummary, type PolicyScore, type RunStatus, type RunSummary } from './run/summary.js';
export { EXIT } from './util/exit.js';
export { type Io, processIo } from './util/io.js';
