import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateEqualInto,
  allocateProportionalInto,
  cpuPower,
  executionTime,
  fillRayleighPowerGain,
  fillRicianPowerGain,
  localExecutionEnergy,
  offloadLatency,
  sliceOffCompletionTime,
  transmitEnergy,
  VmFifo,
  vmQueueingTime,
} from '../src/index.js';

describe('compute (seed 004 Eqs. 1-9)', () => {
  it('E·t² = κ·C³ for CPU execution with ν = 3', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-30, max: 1e-24, noNaN: true }),
        fc.double({ min: 1e6, max: 1e11, noNaN: true }),
        fc.double({ min: 1, max: 1e12, noNaN: true }),
        (kappa, f, c) => {
          const e = localExecutionEnergy(kappa, f, c);
          const t = executionTime(c, f);
          const lhs = e * t * t;
          const rhs = kappa * c ** 3;
          expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * rhs);
        },
      ),
    );
  });
  it('Table I values: local 1e9 cycles at 1 GHz takes 1 s and 1 J; offload latency and energy follow Eq. 1 and 9', () => {
    expect(executionTime(1e9, 1e9)).toBe(1);
    expect(cpuPower(1e-27, 1e9)).toBeCloseTo(1, 12);
    expect(localExecutionEnergy(1e-27, 1e9, 1e9)).toBeCloseTo(1, 12);
    expect(offloadLatency(8e5, 8e6, 1e9, 1e10)).toBeCloseTo(0.1 + 0.1, 12);
    expect(transmitEnergy(1.5, 8e5, 8e6)).toBeCloseTo(0.15, 12);
  });
  it('SliceOff VM queue delay sums the queued work (seed 002 Eqs. 3-5)', () => {
    const q = [
      { dataBits: 1e6, cyclesPerBit: 100 },
      { dataBits: 2e6, cyclesPerBit: 50 },
    ];
    expect(vmQueueingTime(q, 1e9)).toBeCloseTo(0.2, 12);
    expect(sliceOffCompletionTime({ dataBits: 1e6, cyclesPerBit: 1000 }, 1e7, q, 1e9)).toBeCloseTo(0.1 + 0.2 + 1, 12);
  });
});

describe('allocation', () => {
  it('proportional and equal allocations conserve totals (Σ ≤ total) and stay non-negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (w, total) => {
          const out = allocateProportionalInto(new Float64Array(w.length), total, w);
          let s = 0;
          for (const x of out) {
            expect(x).toBeGreaterThanOrEqual(0);
            s += x;
          }
          expect(s).toBeLessThanOrEqual(total);
          if (w.some((x) => x > 0)) expect(s).toBeGreaterThanOrEqual(total * (1 - 1e-9) - 1e-300);
          const eq = allocateEqualInto(new Float64Array(w.length), total, w);
          let se = 0;
          for (const x of eq) {
            expect(x).toBeGreaterThanOrEqual(0);
            se += x;
          }
          expect(se).toBeLessThanOrEqual(total);
        },
      ),
    );
  });
});

describe('fading', () => {
  it('Jensen under fading: mean of log2(1+γ̄·l) <= log2(1 + mean of γ̄·l) (Rayleigh and Rician)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1e6 }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (seed, meanSnr, k) => {
          const rng = createRng(seed);
          for (const gains of [
            fillRayleighPowerGain(rng, new Float64Array(256)),
            fillRicianPowerGain(rng, k, new Float64Array(256)),
          ]) {
            let ergodic = 0;
            let mean = 0;
            for (const l of gains) {
              ergodic += Math.log2(1 + meanSnr * l);
              mean += meanSnr * l;
            }
            expect(ergodic / gains.length).toBeLessThanOrEqual(Math.log2(1 + mean / gains.length) + 1e-12);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
  it('fading gains have unit mean and are reproducible from the seed', () => {
    const a = fillRicianPowerGain(createRng(7), 5, new Float64Array(20000));
    const b = fillRicianPowerGain(createRng(7), 5, new Float64Array(20000));
    expect(a).toEqual(b);
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    expect(mean(a)).toBeCloseTo(1, 1);
    expect(mean(fillRayleighPowerGain(createRng(8), new Float64Array(20000)))).toBeCloseTo(1, 1);
  });
});

describe('VM FIFO (seed 002)', () => {
  const taskArb = fc.record({
    dataBits: fc.double({ min: 0, max: 1e7, noNaN: true }),
    cyclesPerBit: fc.double({ min: 0, max: 1e3, noNaN: true }),
  });
  it('tasks arriving together wait exactly the Eq. 3 sum of the work queued ahead', () => {
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e6, max: 1e10, noNaN: true }),
        (tasks, f) => {
          const vm = new VmFifo(f);
          tasks.forEach((task, k) => {
            const timing = vm.enqueue(task, 0);
            const eq3 = vmQueueingTime(tasks.slice(0, k), f);
            expect(Math.abs(timing.queueTime - eq3)).toBeLessThanOrEqual(1e-9 * Math.max(1, eq3));
          });
        },
      ),
    );
  });
  it('finish times are FIFO-ordered and no task waits for an idle VM', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(taskArb, fc.double({ min: 0, max: 10, noNaN: true })), { maxLength: 30 }),
        (items) => {
          const vm = new VmFifo(1e9);
          let t = 0;
          let lastFinish = 0;
          for (const [task, gap] of items) {
            t += gap;
            const idle = vm.backlogAt(t) === 0;
            const timing = vm.enqueue(task, t);
            if (idle) expect(timing.queueTime).toBe(0);
            expect(timing.finish).toBeGreaterThanOrEqual(lastFinish);
            lastFinish = timing.finish;
          }
        },
      ),
    );
  });
});
