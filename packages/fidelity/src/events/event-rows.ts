import { SCENARIO_EVENT_KINDS, type ScenarioEvent, type ScenarioEventKind, TwinforgeError } from '@twinforge/core';

/**
 * One event as a flat table row: the layout of `events.parquet` of the mesh scenario dataset
 * (`npm run dataset:mesh-scenarios`), one row per event, kind-specific columns null where they do not apply. Plain
 * values, no Arrow, so any reader (Parquet, DuckDB rows, JSON) can feed `timelinesFromEventRows`.
 */
export interface EventRow {
  readonly scenario_id: string;
  /** Position of the event in its scenario's timeline. */
  readonly event_index: number;
  readonly t: number;
  readonly kind: string;
  readonly node?: number | null;
  readonly jammer?: number | null;
  /** jammer-on position; traffic-surge region centre. */
  readonly x_m?: number | null;
  readonly y_m?: number | null;
  /** jammer-on radius; traffic-surge region radius. */
  readonly radius_m?: number | null;
  readonly power_W?: number | null;
  readonly channel?: number | null;
  readonly factor?: number | null;
  readonly duration_s?: number | null;
  /** link-degrade ends (node indices; the gateway is index = nodes). */
  readonly from_node?: number | null;
  readonly to_node?: number | null;
  readonly loss_dB?: number | null;
}

export type EventRowField = keyof EventRow;

/** The columns every row needs. */
export const EVENT_ROW_BASE_FIELDS = ['scenario_id', 'event_index', 't', 'kind'] as const satisfies EventRowField[];

/**
 * The columns each kind reads: `required` must be non-null; `optional` may be null (a surge without a region covers
 * the whole area, a degradation without a duration lasts to the end). A reader can check that a table has the columns
 * of the kinds it holds before converting.
 */
export const EVENT_KIND_FIELDS: Readonly<
  Record<
    ScenarioEventKind,
    { readonly required: readonly EventRowField[]; readonly optional: readonly EventRowField[] }
  >
> = {
  'node-fail': { required: ['node'], optional: [] },
  'node-recover': { required: ['node'], optional: [] },
  'jammer-on': { required: ['jammer', 'x_m', 'y_m', 'radius_m', 'power_W', 'channel'], optional: [] },
  'jammer-off': { required: ['jammer'], optional: [] },
  // A region needs all three of x_m, y_m, radius_m; x_m decides whether there is one.
  'traffic-surge': { required: ['factor', 'duration_s'], optional: ['x_m', 'y_m', 'radius_m'] },
  'link-degrade': { required: ['from_node', 'to_node', 'loss_dB'], optional: ['duration_s'] },
};

const isKind = (k: string): k is ScenarioEventKind => (SCENARIO_EVENT_KINDS as readonly string[]).includes(k);

/**
 * The ScenarioEvent a row describes. A null where the kind needs a value is DATASET_CORRUPT; an unknown kind is
 * SCENARIO_UNSUPPORTED_EVENT. `where` names the row in messages (e.g. "events.parquet row 12").
 */
export function eventFromRow(row: EventRow, where: string): ScenarioEvent {
  const num = (field: EventRowField): number => {
    const v = row[field];
    if (v === null || v === undefined || typeof v !== 'number' || Number.isNaN(v)) {
      throw new TwinforgeError(
        'DATASET_CORRUPT',
        `${where}: ${field} is ${v === undefined ? 'missing' : v} for a ${row.kind} event`,
        {
          details: { field, kind: row.kind },
        },
      );
    }
    return v;
  };
  const opt = (field: EventRowField): number | undefined => {
    const v = row[field];
    return v === null || v === undefined ? undefined : num(field);
  };
  const kind = row.kind;
  if (!isKind(kind)) {
    throw new TwinforgeError('SCENARIO_UNSUPPORTED_EVENT', `${where}: unknown event kind "${kind}"`, {
      details: { kind, known: SCENARIO_EVENT_KINDS },
    });
  }
  const t = num('t');
  switch (kind) {
    case 'node-fail':
    case 'node-recover':
      return { kind, t, node: num('node') };
    case 'jammer-on':
      return {
        kind,
        t,
        jammer: num('jammer'),
        position: { x: num('x_m'), y: num('y_m') },
        radius_m: num('radius_m'),
        power_W: num('power_W'),
        channel: num('channel'),
      };
    case 'jammer-off':
      return { kind, t, jammer: num('jammer') };
    case 'traffic-surge': {
      const x = opt('x_m');
      const region = x === undefined ? {} : { region: { center: { x, y: num('y_m') }, radius_m: num('radius_m') } };
      return { kind, t, ...region, factor: num('factor'), duration_s: num('duration_s') };
    }
    case 'link-degrade': {
      const d = opt('duration_s');
      return {
        kind,
        t,
        from: num('from_node'),
        to: num('to_node'),
        loss_dB: num('loss_dB'),
        ...(d === undefined ? {} : { duration_s: d }),
      };
    }
  }
}

/** The row of one event (the inverse of `eventFromRow`): what a writer of the events table stores. */
export function eventToRow(event: ScenarioEvent, scenarioId: string, eventIndex: number): EventRow {
  const base = { scenario_id: scenarioId, event_index: eventIndex, t: event.t, kind: event.kind };
  switch (event.kind) {
    case 'node-fail':
    case 'node-recover':
      return { ...base, node: event.node };
    case 'jammer-on':
      return {
        ...base,
        jammer: event.jammer,
        x_m: event.position.x,
        y_m: event.position.y,
        radius_m: event.radius_m,
        power_W: event.power_W,
        channel: event.channel,
      };
    case 'jammer-off':
      return { ...base, jammer: event.jammer };
    case 'traffic-surge':
      return {
        ...base,
        factor: event.factor,
        duration_s: event.duration_s,
        ...(event.region
          ? { x_m: event.region.center.x, y_m: event.region.center.y, radius_m: event.region.radius_m }
          : {}),
      };
    case 'link-degrade':
      return {
        ...base,
        from_node: event.from,
        to_node: event.to,
        loss_dB: event.loss_dB,
        ...(event.duration_s === undefined ? {} : { duration_s: event.duration_s }),
      };
  }
}

export interface ScenarioTimelineSet {
  /** Scenario ids, in the order of `timelines`. */
  readonly ids: string[];
  readonly timelines: ScenarioEvent[][];
}

/**
 * Rebuilds one timeline per scenario from event rows: grouped by `scenario_id`, ordered by `event_index` (the rows
 * may come in any order; two rows with one index in a scenario are DATASET_CORRUPT). The event times are kept as
 * they are, so an out-of-order timeline stays out of order and the validity check can see it. `scenarioIds` lists
 * every scenario (from a scenarios table): those without events get an empty timeline, and a row of any other
 * scenario is DATASET_CORRUPT. Without it, scenarios come in the order of their first row. `file` names the source
 * in messages.
 */
export function timelinesFromEventRows(
  rows: readonly EventRow[],
  options: { readonly scenarioIds?: readonly string[]; readonly file?: string } = {},
): ScenarioTimelineSet {
  const file = options.file ?? 'events';
  const byId = new Map<string, { index: number; row: number }[]>();
  for (const id of options.scenarioIds ?? []) byId.set(id, []);
  rows.forEach((r, i) => {
    let list = byId.get(r.scenario_id);
    if (!list) {
      if (options.scenarioIds) {
        throw new TwinforgeError(
          'DATASET_CORRUPT',
          `${file} row ${i}: scenario "${r.scenario_id}" is not among the ${options.scenarioIds.length} scenarios`,
          { details: { scenario: r.scenario_id } },
        );
      }
      list = [];
      byId.set(r.scenario_id, list);
    }
    if (!Number.isInteger(r.event_index)) {
      throw new TwinforgeError('DATASET_CORRUPT', `${file} row ${i}: event_index ${r.event_index} is not an integer`);
    }
    list.push({ index: r.event_index, row: i });
  });
  const ids: string[] = [];
  const timelines: ScenarioEvent[][] = [];
  for (const [id, list] of byId) {
    list.sort((a, b) => a.index - b.index);
    for (let k = 1; k < list.length; k++) {
      if ((list[k] as { index: number }).index === (list[k - 1] as { index: number }).index) {
        throw new TwinforgeError(
          'DATASET_CORRUPT',
          `${file}: scenario "${id}" has two events with event_index ${(list[k] as { index: number }).index}`,
          { details: { scenario: id } },
        );
      }
    }
    ids.push(id);
    timelines.push(list.map(({ row }) => eventFromRow(rows[row] as EventRow, `${file} row ${row}`)));
  }
  return { ids, timelines };
}
