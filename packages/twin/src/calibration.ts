import { assertFinite, TwinforgeError } from '@twinforge/core';
import { distance2d, logDistancePathLossDb } from '@twinforge/physics';
import { rowOf, type TwinSnapshot } from './snapshot.js';
import type { TelemetrySample } from './telemetry.js';

/**
 * Adjusts model parameters from observed versus predicted metrics. The sync calls `observe` after each applied
 * batch with the snapshot that includes it; returned entries are written to `snapshot.params` in one commit.
 */
export interface CalibrationHook {
  readonly name: string;
  observe(samples: readonly TelemetrySample[], snapshot: TwinSnapshot): Readonly<Record<string, number>> | undefined;
}

export interface LogDistanceFit {
  /** Path-loss exponent n. */
  exponent: number;
  /** PL(d0) in dB. */
  refLoss_dB: number;
  /** Root-mean-square residual of the fit, dB. */
  rmse_dB: number;
  points: number;
}

/**
 * Least-squares fit of the log-distance model PL(d) = PL(d0) + 10·n·log10(d/d0) (Rappaport Eq. 4.68) to measured
 * losses. With `refLoss_dB` given only n is fitted (regression through the reference point); otherwise both, by
 * ordinary least squares on x = 10·log10(max(d, d0)/d0). Returns undefined when the distances cannot identify a
 * slope (all equal, or fewer than two points).
 */
export function fitLogDistance(
  distances_m: ArrayLike<number>,
  pathLoss_dB: ArrayLike<number>,
  options: { refDistance_m?: number; refLoss_dB?: number } = {},
): LogDistanceFit | undefined {
  const d0 = options.refDistance_m ?? 1;
  if (!(d0 > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `refDistance_m must be > 0, got ${d0}`);
  const n = distances_m.length;
  if (pathLoss_dB.length !== n) {
    throw new TwinforgeError('INVALID_ARGUMENT', `${n} distances but ${pathLoss_dB.length} losses`);
  }
  if (n < 2) return undefined;
  const xs = new Float64Array(n);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const d = assertFinite(distances_m[i] as number, `distances_m[${i}]`);
    assertFinite(pathLoss_dB[i] as number, `pathLoss_dB[${i}]`);
    if (!(d > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `distances_m[${i}] must be > 0, got ${d}`);
    xs[i] = 10 * Math.log10(Math.max(d, d0) / d0);
    sx += xs[i] as number;
    sy += pathLoss_dB[i] as number;
  }
  let exponent: number;
  let refLoss: number;
  if (options.refLoss_dB !== undefined) {
    refLoss = assertFinite(options.refLoss_dB, 'refLoss_dB');
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      sxy += x * ((pathLoss_dB[i] as number) - refLoss);
      sxx += x * x;
    }
    if (!(sxx > 1e-12)) return undefined;
    exponent = sxy / sxx;
  } else {
    const mx = sx / n;
    const my = sy / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const dx = (xs[i] as number) - mx;
      sxy += dx * ((pathLoss_dB[i] as number) - my);
      sxx += dx * dx;
    }
    if (!(sxx > 1e-12)) return undefined;
    exponent = sxy / sxx;
    refLoss = my - exponent * mx;
  }
  // The physics model clamps negative exponents; a fitted negative slope means the data are not distance-driven.
  const fitted = Math.max(0, exponent);
  return {
    exponent: fitted,
    refLoss_dB: refLoss,
    rmse_dB: logDistanceRmse(distances_m, pathLoss_dB, fitted, d0, refLoss),
    points: n,
  };
}

/** RMS of measured minus modelled loss (physics' `logDistancePathLossDb`), dB. */
export function logDistanceRmse(
  distances_m: ArrayLike<number>,
  pathLoss_dB: ArrayLike<number>,
  exponent: number,
  refDistance_m: number,
  refLoss_dB: number,
): number {
  let s = 0;
  for (let i = 0; i < distances_m.length; i++) {
    const r =
      (pathLoss_dB[i] as number) - logDistancePathLossDb(distances_m[i] as number, exponent, refDistance_m, refLoss_dB);
    s += r * r;
  }
  return distances_m.length > 0 ? Math.sqrt(s / distances_m.length) : 0;
}

export interface PathLossCalibrationOptions {
  /** Where received-power telemetry (dBm) arrives. Default: devices.rxPower_dBm. */
  measurement?: { entity: string; column: string };
  /** Column on the measured entity holding the id of the node it hears. Default 'servingNode'. */
  servingColumn?: string;
  /** Entity kind of the transmitters. Default 'nodes'. */
  nodeEntity?: string;
  /** Transmit power column (dBm) on the nodes. Default 'txPower_dBm'. */
  txPowerColumn?: string;
  /** Position columns on both tables. Default x / y (metres). */
  positionColumns?: { x: string; y: string };
  refDistance_m?: number;
  /** Fit PL(d0) too (default) or keep the current `refLossParam`. */
  fitRefLoss?: boolean;
  exponentParam?: string;
  refLossParam?: string;
  /** Fit over the most recent N measurements (default 256). */
  window?: number;
  /** No update before this many measurements (default 8). */
  minPoints?: number;
}

export interface PathLossCalibration extends CalibrationHook {
  /** The last fit, with the RMS error of the parameters it replaced on the same points. */
  readonly lastFit: (LogDistanceFit & { rmseBefore_dB: number }) | undefined;
}

/**
 * A calibration hook that fits the path-loss exponent (and reference loss) by least squares from received-power
 * telemetry: observed loss = tx power − received power, at the distance between the device and the node it hears.
 * Updates `params.pathLossExponent` / `params.pathLossRef_dB` so models reading them predict with the fitted values.
 */
export function pathLossCalibration(options: PathLossCalibrationOptions = {}): PathLossCalibration {
  const measured = options.measurement ?? { entity: 'devices', column: 'rxPower_dBm' };
  const serving = options.servingColumn ?? 'servingNode';
  const nodes = options.nodeEntity ?? 'nodes';
  const tx = options.txPowerColumn ?? 'txPower_dBm';
  const pos = options.positionColumns ?? { x: 'x', y: 'y' };
  const d0 = options.refDistance_m ?? 1;
  const exponentParam = options.exponentParam ?? 'pathLossExponent';
  const refLossParam = options.refLossParam ?? 'pathLossRef_dB';
  const capacity = options.window ?? 256;
  const minPoints = Math.max(2, options.minPoints ?? 8);
  const distances = new Float64Array(capacity);
  const losses = new Float64Array(capacity);
  let count = 0;
  let next = 0;
  let lastFit: PathLossCalibration['lastFit'];

  return {
    name: 'path-loss',
    get lastFit() {
      return lastFit;
    },
    observe(samples, snapshot) {
      const devices = snapshot.entities[measured.entity];
      const nodeTable = snapshot.entities[nodes];
      if (!devices || !nodeTable) return undefined;
      let added = 0;
      for (const s of samples) {
        if (s.entity !== measured.entity || s.column !== measured.column) continue;
        const row = rowOf(devices, s.id);
        const nodeId = devices.columns[serving]?.[row];
        if (row < 0 || nodeId === undefined) continue;
        const nodeRow = rowOf(nodeTable, nodeId);
        const txDbm = nodeTable.columns[tx]?.[nodeRow];
        if (nodeRow < 0 || txDbm === undefined) continue;
        const d = distance2d(
          devices.columns[pos.x]?.[row] ?? Number.NaN,
          devices.columns[pos.y]?.[row] ?? Number.NaN,
          nodeTable.columns[pos.x]?.[nodeRow] ?? Number.NaN,
          nodeTable.columns[pos.y]?.[nodeRow] ?? Number.NaN,
        );
        if (!(d > 0)) continue;
        distances[next] = d;
        losses[next] = txDbm - s.value;
        next = (next + 1) % capacity;
        count = Math.min(capacity, count + 1);
        added++;
      }
      if (added === 0 || count < minPoints) return undefined;
      const ds = distances.subarray(0, count);
      const ls = losses.subarray(0, count);
      const currentRef = snapshot.params[refLossParam];
      const fit = fitLogDistance(ds, ls, {
        refDistance_m: d0,
        ...(options.fitRefLoss === false && currentRef !== undefined ? { refLoss_dB: currentRef } : {}),
      });
      if (!fit) return undefined;
      const before = snapshot.params[exponentParam];
      lastFit = {
        ...fit,
        rmseBefore_dB:
          before !== undefined && currentRef !== undefined
            ? logDistanceRmse(ds, ls, before, d0, currentRef)
            : Number.POSITIVE_INFINITY,
      };
      return { [exponentParam]: fit.exponent, [refLossParam]: fit.refLoss_dB };
    },
  };
}
