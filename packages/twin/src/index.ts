// Public surface of @twinforge/twin; nothing outside this file is API.
export {
  type CalibrationHook,
  fitLogDistance,
  type LogDistanceFit,
  logDistanceRmse,
  type PathLossCalibration,
  type PathLossCalibrationOptions,
  pathLossCalibration,
} from './calibration.js';
export type { TwinChange, TwinChangeSource, TwinEvent } from './changes.js';
export {
  DigitalDomain,
  type DomainHandle,
  type DomainInit,
  type DomainPolicy,
  type DomainRegistry,
  type DomainRole,
  type DomainStep,
  type ForkOptions,
  type Prediction,
  type PredictionRollout,
  type PredictOptions,
} from './domain.js';
export { SnapshotDraft } from './draft.js';
export { MAP_PREFIX, mapOf, mapValueAt, SCENARIO_PARAM_PREFIX, writeScenarioState } from './maps.js';
export { type DomainModel, isTwinSource, type ModelOutcome, type TwinSource } from './model.js';
export { type GaussianNoiseTarget, gaussianStateNoise, type StateNoise } from './noise.js';
export { type ScenarioEventsOptions, ScenarioTimeline, scenarioEvents$ } from './playback.js';
export { selectColumn, selectParam, selectTime, selectValue } from './selectors.js';
export { snapshotFromArrow, snapshotFromIPC, snapshotToArrow, snapshotToIPC } from './serialize-arrow.js';
export { SNAPSHOT_FORMAT, type SnapshotJSON, snapshotFromJSON, snapshotToJSON } from './serialize-json.js';
export {
  columnOf,
  createSnapshot,
  ENTITY_KINDS,
  type EntityTable,
  entityCount,
  entityValue,
  paramOf,
  type ReadonlyColumn,
  rowOf,
  type SnapshotInput,
  snapshotsEqual,
  type TwinSnapshot,
  tableOf,
  validateSnapshot,
} from './snapshot.js';
export { TwinStore } from './store.js';
export { type SyncStats, TelemetrySync, type TelemetrySyncOptions } from './sync.js';
export {
  REJECT_REASONS,
  type RejectReason,
  type SyncDecision,
  type SyncPolicy,
  type SyncPolicyInput,
  syncPolicySchema,
  type TelemetrySample,
} from './telemetry.js';
export { createTwin, DigitalTwin, type TwinOptions } from './twin.js';
