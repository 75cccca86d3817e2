import { describe, expect, it } from 'vitest';
import { DIRS_TABLE_I, DT_RL_UAV_CASE, EDGEAGENTX_DT_MESH, SLICEOFF_MODEL, thermalNoiseWatts } from '../src/index.js';

describe('paper presets', () => {
  it('DIRS Table I in SI units (seed 004)', () => {
    expect(DIRS_TABLE_I.dataBits).toBe(800_000);
    expect(DIRS_TABLE_I.cycles).toBe(1e9);
    expect(DIRS_TABLE_I.bandwidthHz).toBe(1e6);
    expect(DIRS_TABLE_I.localCpuHz).toBe(1e9);
    expect(DIRS_TABLE_I.maxTxPowerW).toBe(1.5);
    expect(DIRS_TABLE_I.noisePowerW).toBe(1e-12);
    expect(DIRS_TABLE_I.scenarios.at(-1)).toEqual({ mecs: 10, devices: 200 });
    expect(DIRS_TABLE_I.citation.seed).toBe('004');
  });
  it('DT-RL UAV case: 100 mW, -174 dBm/Hz, 5 m, 8 m/s (seed 001)', () => {
    expect(DT_RL_UAV_CASE.txPowerW).toBeCloseTo(0.1, 15);
    expect(thermalNoiseWatts(1, 0, DT_RL_UAV_CASE.noiseDensityDbmPerHz)).toBeCloseTo(3.98e-21, 23);
    expect([DT_RL_UAV_CASE.heightM, DT_RL_UAV_CASE.speedMps, DT_RL_UAV_CASE.uavs]).toEqual([5, 8, 4]);
  });
  it('tactical mesh and SliceOff presets carry their citations', () => {
    expect(EDGEAGENTX_DT_MESH.nodes).toBe(20);
    expect(EDGEAGENTX_DT_MESH.areaM).toEqual([5000, 5000]);
    expect(EDGEAGENTX_DT_MESH.jammer).toEqual({ onAtS: 50, radiusM: 1000, packetLoss: 0.8 });
    expect(SLICEOFF_MODEL.citation.seed).toBe('002');
    expect(Object.isFrozen(DIRS_TABLE_I)).toBe(true);
  });
});
