import { z } from 'zod';

/**
 * One measurement from the physical side: entity `id` of `entity` reported `value` for `column` at `timestamp`
 * (seconds on the source's clock, the same clock as the sync's `now`).
 */
export interface TelemetrySample {
  readonly entity: string;
  readonly id: number;
  readonly column: string;
  readonly value: number;
  readonly timestamp: number;
}

/** Why a sample was not applied. */
export type RejectReason =
  /** Older than the watermark (newest accepted timestamp minus the allowed lateness). */
  | 'stale'
  /** The same field already holds a newer sample (last writer wins by timestamp, not by arrival). */
  | 'superseded'
  /** Arrived more than `maxLag_s` after its timestamp. */
  | 'late'
  /** Names an entity kind, id or column the twin does not have. */
  | 'unknown-entity'
  /** Non-finite value or timestamp. */
  | 'invalid';

export const REJECT_REASONS: readonly RejectReason[] = ['stale', 'superseded', 'late', 'unknown-entity', 'invalid'];

/** What the sync decided for one sample. `lag_s` = arrival time − sample timestamp. */
export interface SyncDecision {
  readonly sample: TelemetrySample;
  readonly accepted: boolean;
  readonly reason?: RejectReason;
  readonly lag_s: number;
}

/** The configurable sync policy (validated; errors name the field). */
export const syncPolicySchema = z.strictObject({
  /**
   * How far behind the newest accepted timestamp a sample may be and still apply; older samples are stale. A
   * watermark in the stream-processing sense: it bounds how long the twin waits for stragglers.
   */
  allowedLateness_s: z.number().min(0).default(1),
  /** Reject samples whose arrival lag exceeds this (no limit when absent). */
  maxLag_s: z.number().positive().optional(),
  /** Delayed sync, a deliberate imperfection: accepted samples are applied this long after they arrive. */
  delay_s: z.number().min(0).default(0),
});

export type SyncPolicyInput = z.input<typeof syncPolicySchema>;
export type SyncPolicy = z.output<typeof syncPolicySchema>;
