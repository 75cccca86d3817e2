import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIRS_TABLE_I,
  DirsObjective,
  dirsDeviceCost,
  dirsObjective,
  equalShareEdgeCpuInto,
  localExecutionEnergy,
  offloadLatency,
  sampleDirsInstance,
  shannonRate,
  snr,
  transmitEnergy,
} from '../src/index.js';

const instanceArb = fc.record({
  seed: fc.nat({ max: 1e6 }),
  devices: fc.integer({ min: 0, max: 40 }),
  mecs: fc.integer({ min: 1, max: 6 }),
  phiT: fc.double({ min: 0, max: 2, noNaN: true }),
  phiE: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('DIRS objective (seed 004 Eqs. 1-11)', () => {
  it('the vectorised objective equals the sum of scalar per-device costs, element by element', () => {
    fc.assert(
      fc.property(instanceArb, fc.nat(), ({ seed, devices, mecs, phiT, phiE }, dseed) => {
        const inst = sampleDirsInstance({ devices, mecs, phiT, phiE, rng: createRng(seed) });
        const drng = createRng(dseed % 1e6);
        const decision = Int32Array.from({ length: devices }, () => drng.int(0, mecs));
        const edge = equalShareEdgeCpuInto(new Float64Array(devices), inst, decision, new Int32Array(mecs));
        const t = new Float64Array(devices);
        const e = new Float64Array(devices);
        const phi = dirsObjective(inst, decision, edge, t, e);
        let sum = 0;
        for (let i = 0; i < devices; i++) {
          const a = decision[i] as number;
          const c = dirsDeviceCost({
            dataBits: inst.dataBits[i] as number,
            cycles: inst.cycles[i] as number,
            localCpuHz: inst.localCpuHz[i] as number,
            txPowerW: inst.txPowerW[i] as number,
            gain: a > 0 ? (inst.gain[i * mecs + a - 1] as number) : 0,
            edgeCpuHz: edge[i] as number,
            offload: a > 0,
            bandwidthHz: inst.bandwidthHz,
            noisePowerW: inst.noisePowerW,
            kappa: inst.kappa,
            nu: inst.nu,
            phiT,
            phiE,
          });
          expect(t[i]).toBeCloseTo(c.time, 12);
          expect(e[i]).toBeCloseTo(c.energy, 12);
          sum += c.phi;
        }
        expect(Math.abs(phi - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, sum));
        const t2 = new Float64Array(devices);
        const e2 = new Float64Array(devices);
        const phi2 = new DirsObjective(inst).evaluate(decision, t2, e2);
        expect(Math.abs(phi2 - phi)).toBeLessThanOrEqual(1e-12 * Math.max(1, phi));
        for (let i = 0; i < devices; i++) {
          expect(Math.abs((t2[i] as number) - (t[i] as number))).toBeLessThanOrEqual(1e-12 * (t[i] as number));
          expect(e2[i]).toBe(e[i]);
        }
      }),
      { numRuns: 60 },
    );
  });
  it('equal-share edge CPU conserves each MEC capacity (Eq. 6) and stays non-negative', () => {
    fc.assert(
      fc.property(instanceArb, fc.nat(), ({ seed, devices, mecs }, dseed) => {
        const inst = sampleDirsInstance({ devices, mecs, rng: createRng(seed) });
        const drng = createRng(dseed % 1e6);
        const decision = Int32Array.from({ length: devices }, () => drng.int(0, mecs));
        const edge = equalShareEdgeCpuInto(new Float64Array(devices), inst, decision, new Int32Array(mecs));
        const used = new Float64Array(mecs);
        for (let i = 0; i < devices; i++) {
          expect(edge[i]).toBeGreaterThanOrEqual(0);
          const a = decision[i] as number;
          if (a > 0) used[a - 1] = (used[a - 1] as number) + (edge[i] as number);
          else expect(edge[i]).toBe(0);
        }
        for (let j = 0; j < mecs; j++) expect(used[j]).toBeLessThanOrEqual((inst.mecCpuHz[j] as number) * (1 + 1e-12));
      }),
      { numRuns: 60 },
    );
  });
  it('refresh() picks up gains changed in place', () => {
    const inst = sampleDirsInstance({ devices: 3, mecs: 2, rng: createRng(5) });
    const obj = new DirsObjective(inst);
    const before = obj.evaluate([1, 2, 1]);
    (inst.gain as Float64Array).fill(1e-9);
    expect(obj.evaluate([1, 2, 1])).toBe(before);
    obj.refresh();
    const after = obj.evaluate([1, 2, 1]);
    const edge = equalShareEdgeCpuInto(new Float64Array(3), inst, [1, 2, 1], new Int32Array(2));
    expect(after).toBeCloseTo(dirsObjective(inst, [1, 2, 1], edge), 9);
    expect(after).toBeGreaterThan(before);
  });
  it('agrees with the building blocks on a hand-checked two-device case', () => {
    const inst = sampleDirsInstance({ devices: 2, mecs: 1, rng: createRng(11) });
    const t = new Float64Array(2);
    const e = new Float64Array(2);
    const phi = new DirsObjective(inst).evaluate([0, 1], t, e);
    const p = DIRS_TABLE_I;
    expect(t[0]).toBe(1);
    expect(e[0]).toBeCloseTo(localExecutionEnergy(p.kappa, p.localCpuHz, p.cycles), 12);
    const r = shannonRate(p.bandwidthHz, snr(p.maxTxPowerW, inst.gain[1] as number, p.noisePowerW));
    expect(t[1]).toBeCloseTo(offloadLatency(p.dataBits, r, p.cycles, p.assumed.mecCpuHz), 12);
    expect(e[1]).toBeCloseTo(transmitEnergy(p.maxTxPowerW, p.dataBits, r), 12);
    expect(phi).toBeCloseTo((t[0] as number) + (e[0] as number) + (t[1] as number) + (e[1] as number), 12);
  });
});
