import type { ScenarioEvent } from '@twinforge/core';

/** One applied change, as it appears on a store's `events$`. */
export type TwinChange =
  | {
      readonly type: 'set';
      readonly entity: string;
      readonly id: number;
      readonly column: string;
      readonly value: number;
      readonly previous: number;
    }
  /** A whole column rewritten in bulk (through `SnapshotDraft.writable`). */
  | { readonly type: 'column'; readonly entity: string; readonly column: string }
  | { readonly type: 'param'; readonly name: string; readonly value: number; readonly previous: number | undefined }
  | { readonly type: 'time'; readonly time: number; readonly previous: number }
  /** The whole snapshot was replaced (a full-state mirror or a restore). */
  | { readonly type: 'replace'; readonly previousVersion: number }
  | { readonly type: 'scenario-event'; readonly event: ScenarioEvent };

/** Where a commit came from. */
export type TwinChangeSource = 'api' | 'telemetry' | 'calibration' | 'step' | 'scenario' | 'mirror' | 'noise';

/** One commit: the changes it applied, the version and time it produced. */
export interface TwinEvent {
  readonly source: TwinChangeSource;
  readonly version: number;
  readonly time: number;
  readonly changes: readonly TwinChange[];
}
