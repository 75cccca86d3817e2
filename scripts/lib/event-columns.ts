// The events table of the mesh scenario dataset (data/events.parquet): its columns and the row of one event. Shared
// by the dataset script and the generative-fidelity reproduction's export of generated timelines, so both tables have
// one schema and the CLI reads either.
import { SCENARIO_EVENT_KINDS, type ScenarioEvent } from '@twinforge/core';
import { eventToRow } from '@twinforge/fidelity';
import type { ColumnSpec } from './arrow-columns.js';

const int = { kind: 'int64' } as const;
const f64 = { kind: 'float64' } as const;
const utf8 = { kind: 'utf8' } as const;

export const EVENT_COLUMNS: ColumnSpec[] = [
  { name: 'scenario_index', type: int, description: 'row of scenarios.parquet' },
  { name: 'scenario_id', type: utf8, description: 'Scenario.id' },
  { name: 'event_index', type: int, description: 'position in the time-sorted timeline' },
  { name: 't', type: f64, description: 'seconds from the episode start' },
  { name: 'kind', type: utf8, description: `one of ${SCENARIO_EVENT_KINDS.join(', ')}` },
  { name: 'kind_id', type: int, description: 'index of kind in that list (a token id)' },
  { name: 'node', type: int, nullable: true, description: 'node-fail / node-recover: node index' },
  { name: 'jammer', type: int, nullable: true, description: 'jammer-on / jammer-off: jammer id' },
  { name: 'x_m', type: f64, nullable: true, description: 'jammer-on: position; traffic-surge: region centre' },
  { name: 'y_m', type: f64, nullable: true, description: 'jammer-on: position; traffic-surge: region centre' },
  { name: 'radius_m', type: f64, nullable: true, description: 'jammer-on radius; traffic-surge region radius' },
  { name: 'power_W', type: f64, nullable: true, description: 'jammer-on power' },
  { name: 'channel', type: int, nullable: true, description: 'jammer-on channel' },
  { name: 'factor', type: f64, nullable: true, description: 'traffic-surge factor' },
  { name: 'duration_s', type: f64, nullable: true, description: 'traffic-surge / link-degrade duration' },
  { name: 'from_node', type: int, nullable: true, description: 'link-degrade end (node index; N = the gateway)' },
  { name: 'to_node', type: int, nullable: true, description: 'link-degrade other end' },
  { name: 'loss_dB', type: f64, nullable: true, description: 'link-degrade extra attenuation' },
];

/** One row of the events table (event columns from @twinforge/fidelity's `eventToRow`, nulls where a kind has none). */
export function eventTableRow(
  scenarioIndex: number,
  id: string,
  e: ScenarioEvent,
  k: number,
): Record<string, number | string | null> {
  return {
    scenario_index: scenarioIndex,
    kind_id: SCENARIO_EVENT_KINDS.indexOf(e.kind),
    ...(eventToRow(e, id, k) as unknown as Record<string, number | string | null>),
  };
}
