/**
 * A Scenario is plain data: serialisable to JSON and to Arrow, produced by generators and replayed by the twin and
 * environments. Times are seconds from the start of the episode.
 */
export interface Grid {
  readonly width: number;
  readonly height: number;
  /** Edge length of one cell in metres. */
  readonly cellSize_m: number;
  /** Physical unit of the values, e.g. 'dB', 'dBm', 'W', 'ratio'. */
  readonly unit: string;
  /** Row-major values, length width * height. */
  readonly data: Float32Array;
}

export interface Position2D {
  readonly x: number;
  readonly y: number;
}

interface EventBase {
  /** Seconds from the episode start. */
  readonly t: number;
}

export interface NodeFailEvent extends EventBase {
  readonly kind: 'node-fail';
  readonly node: number;
}
export interface NodeRecoverEvent extends EventBase {
  readonly kind: 'node-recover';
  readonly node: number;
}
export interface JammerOnEvent extends EventBase {
  readonly kind: 'jammer-on';
  readonly jammer: number;
  readonly position: Position2D;
  readonly radius_m: number;
  readonly power_W: number;
  readonly channel: number;
}
export interface JammerOffEvent extends EventBase {
  readonly kind: 'jammer-off';
  readonly jammer: number;
}
export interface TrafficSurgeEvent extends EventBase {
  readonly kind: 'traffic-surge';
  /** Centre and radius of the affected region; omitted means the whole area. */
  readonly region?: { readonly center: Position2D; readonly radius_m: number };
  readonly factor: number;
  readonly duration_s: number;
}
export interface LinkDegradeEvent extends EventBase {
  readonly kind: 'link-degrade';
  readonly from: number;
  readonly to: number;
  /** Extra attenuation in dB. */
  readonly loss_dB: number;
  readonly duration_s?: number;
}

/** Discriminated union of every event kind; environments declare which kinds they support. */
export type ScenarioEvent =
  | NodeFailEvent
  | NodeRecoverEvent
  | JammerOnEvent
  | JammerOffEvent
  | TrafficSurgeEvent
  | LinkDegradeEvent;

export type ScenarioEventKind = ScenarioEvent['kind'];

export const SCENARIO_EVENT_KINDS: readonly ScenarioEventKind[] = [
  'node-fail',
  'node-recover',
  'jammer-on',
  'jammer-off',
  'traffic-surge',
  'link-degrade',
];

export interface ScenarioProvenance {
  /** Contribution id of the generator, e.g. 'static' or 'gen-diffusion/diffusion'. */
  readonly generator: string;
  readonly version?: string;
  readonly createdFrom?: string;
  readonly [key: string]: unknown;
}

export interface Scenario {
  readonly id: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly maps?: Readonly<Record<string, Grid>>;
  /** Sorted by time, ascending. */
  readonly events: readonly ScenarioEvent[];
  readonly provenance: ScenarioProvenance;
}
