import { type Grid, type Scenario, TwinforgeError } from '@twinforge/core';
import { dbmToWatts } from '@twinforge/physics';
import type { MeshState } from './mesh-state.js';

/** The scenario map the mesh reads: an external interference field (e.g. a generated jamming map), in dBm. */
export const JAMMING_MAP = 'jamming_dBm';

/**
 * Value of a grid at a point: the cell containing it, with cell (col, row) covering
 * [col·cell, (col+1)·cell) × [row·cell, (row+1)·cell) from the origin and data row-major (data[row·width + col]).
 * Points outside the grid give undefined.
 */
export function gridValueAt(grid: Grid, x: number, y: number): number | undefined {
  const col = Math.floor(x / grid.cellSize_m);
  const row = Math.floor(y / grid.cellSize_m);
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return undefined;
  return grid.data[row * grid.width + col];
}

/** The scenario's external interference map, checked; undefined when the scenario has none. */
export function jammingMap(scenario: Scenario | undefined): Grid | undefined {
  const grid = scenario?.maps?.[JAMMING_MAP];
  if (!grid) return undefined;
  if (grid.unit !== 'dBm') {
    throw new TwinforgeError(
      'SCENARIO_INVALID',
      `scenario ${scenario?.id}: map "${JAMMING_MAP}" must have unit "dBm", got "${grid.unit}"`,
    );
  }
  return grid;
}

/** Fills `backgroundW` from the jamming map at the current positions of the nodes and the gateway. */
export function sampleBackground(grid: Grid | undefined, s: MeshState): void {
  s.backgroundW.fill(0);
  if (!grid) return;
  for (let r = 0; r < s.stride; r++) {
    const v = gridValueAt(grid, s.posX[r] as number, s.posY[r] as number);
    if (v !== undefined && Number.isFinite(v)) s.backgroundW[r] = dbmToWatts(v);
  }
}
