import { TwinforgeError } from '@twinforge/core';
import { checkMapSet, type MapSet } from './map-set.js';

/** A physical rule a map must obey: which of its cells break it (1 in the returned mask). */
export interface MapConstraint {
  readonly name: string;
  violations(map: Float32Array, width: number, height: number): Uint8Array;
}

/** Every cell in [lo, hi] (e.g. a link quality in [0, 1], an interference level at or above the noise floor). */
export function rangeConstraint(name: string, lo: number, hi: number): MapConstraint {
  if (!(hi >= lo)) throw new TwinforgeError('INVALID_ARGUMENT', `constraint ${name}: needs hi >= lo`);
  return {
    name,
    violations(map) {
      return Uint8Array.from(map, (v) => (v >= lo && v <= hi ? 0 : 1));
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
      return Uint8Array.from(map, (v) => (v > lo && v < hi ? 1 : 0));
    },
  };
}

export interface ConstraintReport {
  /** Share of cells that break at least one rule. */
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
  const any = new Uint8Array(cells);
  for (const m of set.maps) {
    any.fill(0);
    for (const c of constraints) {
      const mask = c.violations(m, set.width, set.height);
      let n = 0;
      for (let k = 0; k < cells; k++) {
        if (mask[k] === 1) {
          n++;
          any[k] = 1;
        }
      }
      by[c.name] = (by[c.name] ?? 0) + n;
    }
    let mapBad = 0;
    for (let k = 0; k < cells; k++) mapBad += any[k] as number;
    bad += mapBad;
    if (mapBad > 0) badMaps++;
  }
  const total = cells * set.maps.length;
  const byConstraint: Record<string, number> = {};
  for (const c of constraints) byConstraint[c.name] = (by[c.name] ?? 0) / total;
  return {
    cellRate: bad / total,
    mapRate: badMaps / set.maps.length,
    byConstraint,
  };
}
