import type { Info, Rng, ScenarioEvent, ScenarioEventKind } from '@twinforge/core';
import type { SnapshotDraft } from './draft.js';
import type { TwinSnapshot } from './snapshot.js';

/** What one model step reports besides the next state (which it wrote into the draft). */
export interface ModelOutcome {
  reward: number;
  terminated: boolean;
  truncated?: boolean;
  info?: Info;
}

/**
 * The equations a digital domain steps: the same model an environment uses for its physical side, written against
 * snapshots so the twin can copy the state and try different actions from it. A model holds no episode state of
 * its own (everything that changes lives in the snapshot), which is what makes a fork a full, independent copy.
 */
export interface DomainModel<A = unknown, O = unknown> {
  /** Scenario event kinds `applyEvent` understands; any other kind is rejected when a scenario is loaded. */
  readonly supportedEvents?: readonly ScenarioEventKind[];
  /** One decision step: read the state through the draft, write the next one into it, draw randomness from `rng`. */
  step(draft: SnapshotDraft, action: A, rng: Rng): ModelOutcome;
  /** The agent's observation of a state. */
  observe(snapshot: TwinSnapshot): O;
  /** Whether `action` is valid for this model (checked before `step`). */
  isValidAction?(action: unknown): boolean;
  /** The effect of one scenario event on the state. */
  applyEvent?(draft: SnapshotDraft, event: ScenarioEvent): void;
}

/**
 * An environment whose physical side the twin can mirror: it exposes the model its domains step and its current
 * state as a snapshot (what perfect telemetry would report). Learners that try actions in forked domains require it.
 */
export interface TwinSource<A = unknown, O = unknown> {
  readonly twinModel: DomainModel<A, O>;
  twinSnapshot(): TwinSnapshot;
}

export function isTwinSource(value: unknown): value is TwinSource {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<TwinSource>;
  return typeof v.twinSnapshot === 'function' && typeof v.twinModel === 'object' && v.twinModel !== null;
}
