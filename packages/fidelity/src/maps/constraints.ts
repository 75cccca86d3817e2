import { TwinforgeError } from '@twinforge/core';
import { checkMapSet, type MapSet } from './map-set.js';

/** A physical rule a map must obey: how many of its cells break it. */
export interface MapConstraint {
  readonly name: string;
  violations(map: Float32Array, width: number, height: number): number;
}

/** Every cell in [lo, hi] (e.g. a link quality in [0, 1], an interference level at or above the noise floor). */
export function rangeConstraint(name: string, lo: number, hi: number): MapConstraint {
  if (!(hi >= lo)) throw new TwinforgeError('INVALID_ARGUMENT', `constraint ${name}: needs hi >= lo`);
  return {
    name,
    violations(map) {
      let n = 0;
      for (let k = 0; k < map.length; k++) {
        const v = map[k] as number;
        if (!(v >= lo && v <= hi)) n++;
      }
      return n;
    },
  };
}

/**
 * No cell strictly inside (lo, hi): values the physics cannot produce between two allowed regimes, e.g. a jamming
 * field with a hard radius is either at the floor (out of reach) or at least the weakest jammer's power at its
 * largest radius, never in between.
 */
export function forbiddenBandConstraint(name: string, lo: number, hi: number): MapConstraint {
  if (!(hi > lo)) throw new TwinforgeError('INVALID_ARGUMENT', `constraint ${name}: needs hi > lo`);
  return {
    name,
    violations(map) {
      let n = 0;
      for (let k = 0; k < map.length; k++) {
        const v = map[k] as number;
        if (v > lo && v < hi) n++;
      }
      return n;
    },
  };
}

export interface ConstraintReport {
  /** Violating cells over all cells (a cell breaking two rules counts once per rule, capped at 1 per cell-rule). */
  readonly cellRate: number;
  /** Maps with at least one violating cell. */
  readonly mapRate: number;
  /** Cell rate per constraint name. */
  readonly byConstraint: Readonly<Record<string, number>>;
}

/** Physical-constraint violation rates of a set of maps. */
export function constraintViolations(set: MapSet, constraints: readonly MapConstraint[]): ConstraintReport {
  checkMapSet(set, 'constrained maps');
  const cells = set.width * set.height;
  const by: Record<string, number> = {};
  let bad = 0;
  let badMaps = 0;
  for (const m of set.maps) {
    let mapBad = 0;
    for (const c of constraints) {
      const v = c.violations(m, set.width, set.height);
      by[c.name] = (by[c.name] ?? 0) + v;
      mapBad += v;
    }
    bad += mapBad;
    if (mapBad > 0) badMaps++;
  }
  const total = cells * set.maps.length;
  const byConstraint: Record<string, number> = {};
  for (const c of constraints) byConstraint[c.name] = (by[c.name] ?? 0) / total;
  return {
    cellRate: constraints.length === 0 ? 0 : bad / (total * constraints.length),
    mapRate: badMaps / set.maps.length,
    byConstraint,
  };
}
