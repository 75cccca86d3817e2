import { TwinforgeError } from '@twinforge/core';
import { jsDivergence } from '../stats/divergence.js';
import { type KsResult, ksTwoSample } from '../stats/ks-test.js';
import {
  eventBigramCounts,
  eventKindCounts,
  interArrivalTimes,
  type Timeline,
  transitionL1,
} from './event-statistics.js';
import { type TimelineRules, type ValidityReport, validityReport } from './timeline-validity.js';

export interface EventScores {
  readonly timelines: number;
  readonly events: number;
  /** JS divergence (bits) of the event-kind distribution and of the kind-bigram distribution (with start/end). */
  readonly unigramJs: number;
  readonly bigramJs: number;
  /** Two-sample KS test of the inter-arrival times against the reference's. */
  readonly interArrival: KsResult;
  readonly transitionL1: number;
  readonly validity: ValidityReport;
}

/**
 * Every event metric of one candidate set of timelines against a reference set. Timelines without events still
 * count in the bigram statistics (START → END); a set without any event at all cannot be compared and throws.
 */
export function scoreEvents(
  reference: readonly Timeline[],
  candidate: readonly Timeline[],
  rules: TimelineRules,
): EventScores {
  const refGaps = interArrivalTimes(reference);
  const gaps = interArrivalTimes(candidate);
  if (refGaps.length === 0 || gaps.length === 0) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'event fidelity needs at least one event in each set');
  }
  return {
    timelines: candidate.length,
    events: gaps.length,
    unigramJs: jsDivergence(eventKindCounts(reference), eventKindCounts(candidate)),
    bigramJs: jsDivergence(eventBigramCounts(reference), eventBigramCounts(candidate)),
    interArrival: ksTwoSample(refGaps, gaps),
    transitionL1: transitionL1(reference, candidate),
    validity: validityReport(candidate, rules),
  };
}

export interface EventFidelityReport {
  /** A second real sample against the reference (the floor). */
  readonly floor: EventScores;
  readonly candidates: Readonly<Record<string, EventScores>>;
  /** The reference's own validity (real data may break a rule, too). */
  readonly referenceValidity: ValidityReport;
}

export function evaluateEvents(
  reference: readonly Timeline[],
  floor: readonly Timeline[],
  candidates: Readonly<Record<string, readonly Timeline[]>>,
  rules: TimelineRules,
): EventFidelityReport {
  const out: Record<string, EventScores> = {};
  for (const [name, c] of Object.entries(candidates)) out[name] = scoreEvents(reference, c, rules);
  return {
    floor: scoreEvents(reference, floor, rules),
    candidates: out,
    referenceValidity: validityReport(reference, rules),
  };
}
