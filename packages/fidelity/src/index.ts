// Public surface of @twinforge/fidelity: fidelity metrics for generated scenarios (maps and event timelines).

export {
  type EventFidelityReport,
  type EventScores,
  evaluateEvents,
  scoreEvents,
} from './events/evaluate-events.js';
export {
  EVENT_KIND_FIELDS,
  EVENT_ROW_BASE_FIELDS,
  type EventRow,
  type EventRowField,
  eventFromRow,
  eventToRow,
  type ScenarioTimelineSet,
  timelinesFromEventRows,
} from './events/event-rows.js';
export {
  eventBigramCounts,
  eventKindCounts,
  interArrivalTimes,
  type Timeline,
  transitionL1,
  transitionMatrix,
} from './events/event-statistics.js';
export {
  type TimelineRules,
  type TimelineViolation,
  timelineViolations,
  type ValidityReport,
  type ValidityRule,
  validityReport,
} from './events/timeline-validity.js';
export {
  type ConstraintReport,
  constraintViolations,
  forbiddenBandConstraint,
  type MapConstraint,
  rangeConstraint,
} from './maps/constraints.js';
export {
  evaluateMaps,
  type MapCandidate,
  type MapFidelityInput,
  type MapFidelityReport,
  type MapScores,
  scoreMaps,
} from './maps/evaluate-maps.js';
export {
  type ConditionAccuracy,
  conditionAccuracy,
  countHotspots,
  type HotspotOptions,
} from './maps/hotspots.js';
export { checkMapSet, type MapSet, valueRange } from './maps/map-set.js';
export { type MemorisationOptions, type MemorisationReport, memorisation } from './maps/memorisation.js';
export {
  type MmdRatioOverDraws,
  mmdRatioOverDraws,
  mmdRatiosOverDraws,
  type RealDraw,
} from './maps/mmd-draws.js';
export {
  type PixelMarginalDistances,
  type PixelMarginalOptions,
  pixelMarginalDistances,
} from './maps/pixel-marginals.js';
export { radialPowerSpectrum, spectrumDistance } from './maps/power-spectrum.js';
export { semivariogram, semivariogramDistance } from './maps/semivariogram.js';
export { eventTableRows, formatTable, mapTableRows, type TableRow, toCsv } from './report/fidelity-table.js';
export { jsDivergence, normalise } from './stats/divergence.js';
export { histogram } from './stats/histogram.js';
export { type KsResult, kolmogorovQ, ksTwoSample } from './stats/ks-test.js';
export { type MmdOptions, medianBandwidth, mmd2Rbf, squaredDistance } from './stats/mmd.js';
export { wasserstein1 } from './stats/wasserstein.js';
