import { createRng, type Rng } from '@twinforge/core';
import { dirsObjective } from '@twinforge/physics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MecAllocation,
  MecCostModel,
  type MecInstance,
  MecSystem,
  optimalTxPower,
  solveAllocation,
  sqrtShareCpuInto,
  toDirsInstance,
} from '../src/index.js';

/** g(p) ∝ φT·T^Tr + φE·E^Tr of one link (D/B dropped). */
function linkCost(a: number, phiT: number, phiE: number, p: number): number {
  return (phiT + phiE * p) / Math.log2(1 + a * p);
}

/** A small random instance with heterogeneous tasks, so the √F split differs from the equal split. */
function randomInstance(rng: Rng, n: number, m: number, phiT: number, phiE: number): MecInstance {
  const gain = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) gain[k] = 10 ** rng.uniform(-8, -3);
  return {
    devices: n,
    mecs: m,
    dataBits: Float64Array.from({ length: n }, () => rng.uniform(1e5, 8e6)),
    cycles: Float64Array.from({ length: n }, () => rng.uniform(1e8, 3e9)),
    localCpuHz: new Float64Array(n).fill(1e9),
    maxTxPowerW: Float64Array.from({ length: n }, () => rng.uniform(1, 2)), // ≥ κ·f_i0³ = 1 W, so local execution fits Eq. 7
    gain,
    mecCpuHz: Float64Array.from({ length: m }, () => rng.uniform(2e9, 2e10)),
    bandwidthHz: 1e6,
    noisePowerW: 1e-12,
    kappa: 1e-27,
    nu: 3,
    phiT,
    phiE,
  };
}

/** A random feasible allocation for a decision: Dirichlet-like CPU split (Σ < F) and p ∈ (0, P_max]. */
function randomAllocation(model: MecCostModel, decision: Int32Array, rng: Rng): MecAllocation {
  const { devices: n, mecs: m, instance } = model;
  const cpuHz = new Float64Array(n);
  const powerW = new Float64Array(n);
  const w = new Float64Array(n);
  const total = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a === 0) continue;
    w[i] = rng.exponential() + 1e-9;
    total[a - 1] = (total[a - 1] as number) + (w[i] as number);
    powerW[i] = (instance.maxTxPowerW[i] as number) * (1 - rng.uniform());
  }
  for (let i = 0; i < n; i++) {
    const a = decision[i] as number;
    if (a > 0)
      cpuHz[i] = ((instance.mecCpuHz[a - 1] as number) * (w[i] as number) * 0.999999) / (total[a - 1] as number);
  }
  return { cpuHz, powerW };
}

describe('optimal transmit power (Eq. 13, power part)', () => {
  it('no power in (0, P_max] on a fine grid or at random beats p*', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.nat(),
        (logA, phiT, phiE, pMax, seed) => {
          const a = 10 ** logA;
          const p = optimalTxPower(a, phiT, phiE, pMax);
          expect(p).toBeGreaterThan(0);
          expect(p).toBeLessThanOrEqual(pMax);
          const best = linkCost(a, phiT, phiE, p);
          const rng = createRng(seed);
          for (let k = 1; k <= 400; k++) {
            const q = k <= 200 ? (pMax * k) / 200 : pMax * rng.uniform() ** 4;
            if (q > 0) expect(best).toBeLessThanOrEqual(linkCost(a, phiT, phiE, q) * (1 + 1e-9));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('meets the stationarity condition φE·(x ln x − x + 1) = a·φT when the budget does not bind', () => {
    const a = 1e7;
    const p = optimalTxPower(a, 1, 1, 1.5);
    expect(p).toBeLessThan(1.5);
    const x = 1 + a * p;
    expect(x * Math.log(x) - x + 1).toBeCloseTo(a, -1);
  });

  it('uses the full budget for pure latency (φE = 0) and rejects φT = 0', () => {
    expect(optimalTxPower(1e6, 1, 0, 1.5)).toBe(1.5);
    expect(() => optimalTxPower(1e6, 0, 1, 1.5)).toThrow(/phiT > 0/);
    expect(() => optimalTxPower(Number.NaN, 1, 1, 1.5)).toThrow(/finite/);
  });
});

describe('per-MEC allocation (Eq. 13) for a decision', () => {
  const cases = fc.record({
    seed: fc.nat(),
    n: fc.integer({ min: 1, max: 12 }),
    m: fc.integer({ min: 1, max: 4 }),
    phiT: fc.constantFrom(1.5, 1, 0.5),
    phiE: fc.constantFrom(0.5, 1, 1.5, 0),
  });

  it('is feasible (Eqs. 5-7) and no random feasible allocation is better', () => {
    fc.assert(
      fc.property(cases, ({ seed, n, m, phiT, phiE }) => {
        const rng = createRng(seed);
        const model = new MecCostModel(randomInstance(rng, n, m, phiT, phiE));
        const decision = Int32Array.from({ length: n }, () => rng.int(0, m));
        const alloc = model.allocate(decision);
        expect(model.allocationViolations(decision, alloc)).toEqual([]);
        const phi = model.evaluate(decision);
        // the table-free solver (what each MEC runs online) gives the same allocation
        const direct = solveAllocation(model.instance, decision);
        expect(Array.from(direct.powerW)).toEqual(Array.from(alloc.powerW));
        expect(Array.from(direct.cpuHz)).toEqual(Array.from(alloc.cpuHz));
        expect(model.evaluateAllocation(decision, alloc)).toBeCloseTo(phi, 8);
        for (let trial = 0; trial < 200; trial++) {
          const other = randomAllocation(model, decision, rng);
          expect(model.allocationViolations(decision, other)).toEqual([]);
          expect(phi).toBeLessThanOrEqual(model.evaluateAllocation(decision, other) * (1 + 1e-12));
        }
        // local perturbations of the optimum cannot improve either (a sharper test than random points)
        for (let trial = 0; trial < 50; trial++) {
          const cpuHz = alloc.cpuHz.slice();
          const powerW = alloc.powerW.slice();
          const i = rng.int(0, n - 1);
          const a = decision[i] as number;
          if (a === 0) continue;
          powerW[i] = Math.min(
            (powerW[i] as number) * (1 + rng.uniform(-0.01, 0.01)),
            model.instance.maxTxPowerW[i] as number,
          );
          const k = rng.int(0, n - 1);
          if (k !== i && decision[k] === a) {
            const delta = (cpuHz[i] as number) * rng.uniform(0, 0.01);
            cpuHz[i] = (cpuHz[i] as number) - delta;
            cpuHz[k] = (cpuHz[k] as number) + delta;
          }
          expect(phi).toBeLessThanOrEqual(model.evaluateAllocation(decision, { cpuHz, powerW }) * (1 + 1e-12));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('√F split sums to the capacity without exceeding it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e10, noNaN: true }), { minLength: 1, maxLength: 50 }), (c) => {
        const cycles = Float64Array.from(c);
        const members = Array.from({ length: c.length }, (_, i) => i);
        const out = sqrtShareCpuInto(new Float64Array(c.length), cycles, members, 1e10);
        let s = 0;
        for (const v of out) {
          expect(v).toBeGreaterThanOrEqual(0);
          s += v;
        }
        expect(s).toBeLessThanOrEqual(1e10);
        expect(s).toBeGreaterThan(1e10 * (1 - 1e-9));
      }),
    );
  });

  it('equals physics dirsObjective with the same powers and CPU shares', () => {
    const rng = createRng(5);
    const model = new MecSystem({ scenario: '8x180' }).sample(rng);
    const decision = Int32Array.from({ length: model.devices }, () => rng.int(0, model.mecs));
    const alloc = model.allocate(decision);
    const power = alloc.powerW.slice();
    for (let i = 0; i < power.length; i++) if (decision[i] === 0) power[i] = 1; // unused for local devices
    const phi = dirsObjective(toDirsInstance(model.instance, power), decision, alloc.cpuHz);
    expect(model.evaluate(decision)).toBeCloseTo(phi, 8);
  });

  it('moveDelta equals the change of the objective', () => {
    const rng = createRng(9);
    const model = new MecSystem({ scenario: '2x30' }).sample(rng);
    const decision = Int32Array.from({ length: model.devices }, () => rng.int(0, model.mecs));
    const loads = model.loadsInto(decision, new Float64Array(model.mecs));
    for (let trial = 0; trial < 100; trial++) {
      const i = rng.int(0, model.devices - 1);
      const to = rng.int(0, model.mecs);
      const before = model.evaluate(decision);
      const d = model.moveDelta(i, decision[i] as number, to, loads);
      const moved = decision.slice();
      moved[i] = to;
      expect(model.evaluate(moved) - before).toBeCloseTo(d, 8);
    }
  });

  it('rejects malformed decisions and reports infeasible allocations', () => {
    const model = new MecSystem({ scenario: '2x30' }).sample(createRng(1));
    expect(() => model.allocate(new Int32Array(3))).toThrow(/length 30/);
    const bad = new Int32Array(30).fill(3);
    expect(() => model.allocate(bad)).toThrow(/0\.\.2/);
    const decision = new Int32Array(30).fill(1);
    const alloc = model.allocate(decision);
    alloc.cpuHz[0] = (alloc.cpuHz[0] as number) * 2;
    alloc.powerW[1] = 5;
    const v = model.allocationViolations(decision, alloc);
    expect(v.some((s) => s.includes('Eq. 6'))).toBe(true);
    expect(v.some((s) => s.includes('Eq. 7'))).toBe(true);
  });
});
