import { type Grid, type Scenario, TwinforgeError } from '@twinforge/core';
import type { SnapshotDraft } from './draft.js';
import type { TwinSnapshot } from './snapshot.js';

/** Entity kind under which a scenario map is stored: `map:<name>`. */
export const MAP_PREFIX = 'map:';
/** Params prefix of a scenario's numeric conditioning parameters: `scenario.<name>`. */
export const SCENARIO_PARAM_PREFIX = 'scenario.';

/**
 * Writes a scenario's maps and numeric params into a domain's state, so models read them like any other state and
 * forks and serialisation carry them for free. A grid becomes the kind `map:<name>` with one row per cell (row-major,
 * ids 0..w·h-1) and a `value` column, plus params `map:<name>.width`, `.height`, `.cellSize_m`; numeric scenario
 * params become `scenario.<key>`. The unit string has no numeric home and is not stored (models know their units).
 */
export function writeScenarioState(draft: SnapshotDraft, scenario: Scenario): void {
  for (const [name, grid] of Object.entries(scenario.maps ?? {})) {
    const kind = `${MAP_PREFIX}${name}`;
    draft.putTable(kind, { columns: { value: grid.data } });
    draft.setParam(`${kind}.width`, grid.width);
    draft.setParam(`${kind}.height`, grid.height);
    draft.setParam(`${kind}.cellSize_m`, grid.cellSize_m);
  }
  for (const [key, value] of Object.entries(scenario.params)) {
    if (typeof value === 'number' && Number.isFinite(value)) draft.setParam(`${SCENARIO_PARAM_PREFIX}${key}`, value);
  }
}

/** A scenario map back from a state (values as float32, as in `Grid`); TWIN_UNKNOWN_ENTITY when absent. */
export function mapOf(snapshot: TwinSnapshot, name: string): Grid {
  const kind = `${MAP_PREFIX}${name}`;
  const table = snapshot.entities[kind];
  const values = table?.columns.value;
  const width = snapshot.params[`${kind}.width`];
  const height = snapshot.params[`${kind}.height`];
  const cellSize_m = snapshot.params[`${kind}.cellSize_m`];
  if (!values || width === undefined || height === undefined || cellSize_m === undefined) {
    throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `the twin has no scenario map "${name}"`, { details: { name } });
  }
  return { width, height, cellSize_m, unit: '', data: Float32Array.from(values) };
}

/** The value of a map at a position (metres from the grid origin), nearest cell; outside the grid is an error. */
export function mapValueAt(snapshot: TwinSnapshot, name: string, x_m: number, y_m: number): number {
  const kind = `${MAP_PREFIX}${name}`;
  const values = snapshot.entities[kind]?.columns.value;
  const width = snapshot.params[`${kind}.width`] as number;
  const height = snapshot.params[`${kind}.height`] as number;
  const cell = snapshot.params[`${kind}.cellSize_m`] as number;
  if (!values) throw new TwinforgeError('TWIN_UNKNOWN_ENTITY', `the twin has no scenario map "${name}"`);
  const cx = Math.floor(x_m / cell);
  const cy = Math.floor(y_m / cell);
  if (!(cx >= 0 && cx < width && cy >= 0 && cy < height)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `(${x_m}, ${y_m}) m is outside map "${name}" (${width}x${height} cells of ${cell} m)`,
    );
  }
  return values[cy * width + cx] as number;
}
