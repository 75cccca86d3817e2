import { createRng, type Rng } from '@twinforge/core';
import { MecCostModel, type MecInstance, MecSystem } from '@twinforge/plugin-env-mec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admitByCapacity,
  differentialEvolution,
  exactDecision,
  greedyPolicy,
  levyFlightSearch,
  localPolicy,
  pso,
  randomPolicy,
  remotePolicy,
} from '../src/index.js';

/** A small random slot with equal tasks (so the exact solver applies) and a wide spread of gains and capacities. */
function smallModel(rng: Rng, n: number, m: number, phiT = 1, phiE = 1): MecCostModel {
  const gain = new Float64Array(n * m);
  for (let k = 0; k < n * m; k++) gain[k] = rng.bernoulli(0.1) ? 0 : 10 ** rng.uniform(-9, -4);
  const inst: MecInstance = {
    devices: n,
    mecs: m,
    dataBits: new Float64Array(n).fill(8e5),
    cycles: new Float64Array(n).fill(1e9),
    localCpuHz: new Float64Array(n).fill(1e9),
    maxTxPowerW: new Float64Array(n).fill(1.5),
    gain,
    mecCpuHz: Float64Array.from({ length: m }, () => rng.uniform(1e9, 6e9)),
    bandwidthHz: 1e6,
    noisePowerW: 1e-12,
    kappa: 1e-27,
    nu: 3,
    phiT,
    phiE,
  };
  return new MecCostModel(inst);
}

/** Every decision in {0..M}^N (tiny N only). */
function bruteForce(model: MecCostModel): number {
  const { devices: n, mecs: m } = model;
  const d = new Int32Array(n);
  let best = Number.POSITIVE_INFINITY;
  const total = (m + 1) ** n;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let i = 0; i < n; i++) {
      d[i] = c % (m + 1);
      c = Math.floor(c / (m + 1));
    }
    best = Math.min(best, model.evaluate(d));
  }
  return best;
}

describe('exact optimum (min-cost flow)', () => {
  it('equals brute force over all decisions on small instances', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(0.5, 1, 1.5),
        (seed, n, m, phiT) => {
          const model = smallModel(createRng(seed), n, m, phiT, 2 - phiT);
          const exact = exactDecision(model);
          model.checkDecision(exact.decision);
          expect(exact.phi).toBeCloseTo(bruteForce(model), 9);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is never beaten by any baseline or search on the 10x200 preset', () => {
    const sys = new MecSystem({ scenario: '10x200' });
    const rng = createRng(4);
    const model = sys.sample(rng);
    const exact = exactDecision(model).phi;
    const others = [
      localPolicy.decide(model, rng),
      randomPolicy.decide(model, rng),
      remotePolicy(sys.layout.nearestMec).decide(model, rng),
      greedyPolicy.decide(model, rng),
      pso(model, rng, { particles: 20, iterations: 50 }).decision,
      differentialEvolution(model, rng, { population: 20, generations: 50 }).decision,
    ];
    for (const d of others) expect(model.evaluate(d)).toBeGreaterThanOrEqual(exact - 1e-9);
  });

  it('refuses heterogeneous tasks, where the flow model does not hold', () => {
    const model = smallModel(createRng(1), 4, 2);
    (model.instance.cycles as Float64Array)[0] = 2e9;
    const hetero = new MecCostModel(model.instance);
    expect(() => exactDecision(hetero)).toThrow(/equal task cycles/);
  });
});

describe('searches', () => {
  it('PSO, DE and the Lévy flight search return valid decisions whose reported Φ is their objective', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 4 }), (seed, n, m) => {
        const rng = createRng(seed);
        const model = smallModel(rng, n, m);
        for (const r of [
          pso(model, rng, { particles: 8, iterations: 20 }),
          differentialEvolution(model, rng, { population: 8, generations: 20 }),
          levyFlightSearch(model, new Int32Array(n), rng, { population: 3, iterations: 20 }),
        ]) {
          model.checkDecision(r.decision);
          for (let i = 0; i < n; i++) {
            const a = r.decision[i] as number;
            if (a > 0) expect(model.usable(i, a)).toBe(true);
          }
          expect(r.phi).toBeCloseTo(model.evaluate(r.decision), 9);
          expect(Number.isFinite(r.phi)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the Lévy flight search never returns worse than its start (greedy selection) and is deterministic', () => {
    const sys = new MecSystem({ scenario: '8x180' });
    const model = sys.sample(createRng(2));
    const start = Int32Array.from(sys.layout.nearestMec);
    const a = levyFlightSearch(model, start, createRng(9), { beta: 1, population: 5, iterations: 40 });
    const b = levyFlightSearch(model, start, createRng(9), { beta: 1, population: 5, iterations: 40 });
    expect(a.phi).toBeLessThan(model.evaluate(start));
    expect(Array.from(a.decision)).toEqual(Array.from(b.decision));
    // more search is not worse on average: the greedy selection keeps improvements
    const long = levyFlightSearch(model, start, createRng(9), { beta: 1, population: 5, iterations: 400 });
    expect(long.phi).toBeLessThanOrEqual(a.phi);
  });

  it('joint PSO (x = [a, f, p], Eq. 19) keeps Eqs. 5-7 and cannot beat the exact allocation of its own decision', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 3 }), (seed, n, m) => {
        const rng = createRng(seed);
        const model = smallModel(rng, n, m);
        const r = pso(model, rng, { particles: 8, iterations: 15, joint: true });
        const alloc = r.allocation as NonNullable<typeof r.allocation>;
        expect(model.allocationViolations(r.decision, alloc)).toEqual([]);
        expect(r.phi).toBeCloseTo(model.evaluateAllocation(r.decision, alloc), 9);
        expect(r.phi).toBeGreaterThanOrEqual(model.evaluate(r.decision) * (1 - 1e-12));
      }),
      { numRuns: 40 },
    );
  });

  it('PSO improves on its random initial swarm and reaches a few percent of the optimum on 2x30', () => {
    const model = new MecSystem({ scenario: '2x30' }).sample(createRng(3));
    const exact = exactDecision(model).phi;
    const short = pso(model, createRng(1), { particles: 30, iterations: 0 }).phi;
    const long = pso(model, createRng(1), { particles: 30, iterations: 300 }).phi;
    expect(long).toBeLessThan(short);
    expect(exact / long).toBeGreaterThan(0.97);
  });
});

describe('baselines', () => {
  it('Random and Remote respect the capacity rule: every client gets at least its local CPU speed', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const rng = createRng(seed);
        const sys = new MecSystem({ scenario: '8x180', layoutSeed: seed % 5 });
        const model = sys.sample(rng);
        for (const d of [randomPolicy.decide(model, rng), remotePolicy(sys.layout.nearestMec).decide(model, rng)]) {
          const alloc = model.allocate(d);
          for (let i = 0; i < d.length; i++) {
            if ((d[i] as number) > 0) expect(alloc.cpuHz[i]).toBeGreaterThanOrEqual(1e9 * (1 - 1e-9));
          }
        }
      }),
      { numRuns: 20 },
    );
  });

  it('Remote only uses the nearest MEC; admission sends the largest tasks local first', () => {
    const sys = new MecSystem({ scenario: '2x30' });
    const model = sys.sample(createRng(1));
    const d = remotePolicy(sys.layout.nearestMec).decide(model, createRng(1));
    for (let i = 0; i < 30; i++) expect([0, sys.layout.nearestMec[i]]).toContain(d[i]);
    // capacity 15 GHz / 1 GHz: at most 15 clients per MEC
    for (let j = 1; j <= 2; j++) expect(Array.from(d).filter((a) => a === j).length).toBeLessThanOrEqual(15);
    const inst = { ...model.instance, cycles: Float64Array.from({ length: 30 }, (_, i) => 1e9 * (1 + i / 100)) };
    const hetero = new MecCostModel(inst);
    const all1 = new Int32Array(30).fill(1);
    const order = Array.from({ length: 30 }, (_, i) => i);
    const admitted = admitByCapacity(hetero, all1, order);
    const kept = Array.from(admitted).flatMap((a, i) => (a === 1 ? [i] : []));
    expect(kept).toEqual(order.slice(0, kept.length)); // the smallest tasks stay
  });

  it('greedy and local are deterministic rules', () => {
    const model = new MecSystem({ scenario: '2x30' }).sample(createRng(1));
    expect(Array.from(localPolicy.decide(model, createRng(0)))).toEqual(new Array(30).fill(0));
    expect(Array.from(greedyPolicy.decide(model, createRng(0)))).toEqual(
      Array.from(greedyPolicy.decide(model, createRng(1))),
    );
  });
});
