import { createRng } from '@twinforge/core';
import { logDistancePathLossDb } from '@twinforge/physics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSnapshot,
  fitLogDistance,
  paramOf,
  pathLossCalibration,
  type TelemetrySample,
  TelemetrySync,
  TwinStore,
} from '../src/index.js';

describe('fitLogDistance', () => {
  it('recovers exponent and reference loss exactly from noiseless data', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1.5, max: 5, noNaN: true }),
        fc.double({ min: 20, max: 60, noNaN: true }),
        fc.array(fc.double({ min: 1.5, max: 2000, noNaN: true }), { minLength: 3, maxLength: 40 }),
        (n, pl0, ds) => {
          fc.pre(Math.max(...ds) / Math.min(...ds) > 1.1);
          const losses = ds.map((d) => logDistancePathLossDb(d, n, 1, pl0));
          const fit = fitLogDistance(ds, losses);
          expect(fit).toBeDefined();
          expect(fit?.exponent).toBeCloseTo(n, 8);
          expect(fit?.refLoss_dB).toBeCloseTo(pl0, 6);
          expect(fit?.rmse_dB).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it('estimates the exponent under 4 dB shadowing, and with a fixed reference loss', () => {
    const rng = createRng(3);
    const ds = Array.from({ length: 600 }, () => rng.uniform(5, 800));
    const losses = ds.map((d) => logDistancePathLossDb(d, 3.3, 1, 40) + rng.normal(0, 4));
    expect(fitLogDistance(ds, losses)?.exponent).toBeCloseTo(3.3, 1);
    expect(fitLogDistance(ds, losses, { refLoss_dB: 40 })?.exponent).toBeCloseTo(3.3, 1);
  });

  it('returns undefined when distances cannot identify a slope', () => {
    expect(fitLogDistance([10, 10, 10], [80, 81, 79])).toBeUndefined();
    expect(fitLogDistance([10], [80])).toBeUndefined();
  });
});

describe('pathLossCalibration through the sync', () => {
  it('moves params.pathLossExponent from a wrong prior to the value the telemetry shows', () => {
    const trueN = 3.3;
    const store = new TwinStore(
      createSnapshot({
        params: { pathLossExponent: 2, pathLossRef_dB: 40 },
        entities: {
          nodes: { ids: [7], columns: { x: [0], y: [50], txPower_dBm: [30] } },
          devices: { columns: { x: [0, 0, 0], y: [0, 0, 0], servingNode: [7, 7, 7], rxPower_dBm: [-90, -90, -90] } },
        },
      }),
    );
    const calibration = pathLossCalibration({ window: 400, minPoints: 20 });
    const sync = new TelemetrySync(store, { policy: { allowedLateness_s: 10 }, calibration, now: () => 0 });
    const rng = createRng(11);
    for (let t = 0; t < 100; t++) {
      const batch: TelemetrySample[] = [];
      for (let id = 0; id < 3; id++) {
        const x = rng.uniform(-600, 600);
        const d = Math.hypot(x, 50);
        const rx = 30 - (logDistancePathLossDb(d, trueN, 1, 40) + rng.normal(0, 3));
        batch.push({ entity: 'devices', id, column: 'x', value: x, timestamp: t });
        batch.push({ entity: 'devices', id, column: 'rxPower_dBm', value: rx, timestamp: t });
      }
      sync.ingest(batch);
    }
    expect(paramOf(store.snapshot, 'pathLossExponent')).toBeCloseTo(trueN, 1);
    const fit = calibration.lastFit;
    expect(fit?.points).toBe(300);
    expect(fit?.rmse_dB).toBeLessThan(fit?.rmseBefore_dB ?? 0);
    expect(fit?.rmse_dB).toBeLessThan(4);
  });
});
