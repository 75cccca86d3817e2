import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrioritizedReplay, ReplayBuffer, SumTree } from '../src/index.js';

/** A transition whose every field encodes `id`, so a sampled row can be traced back to what was added. */
function transition(id: number, terminated = false) {
  return {
    observation: [id, -id],
    action: [id * 2],
    reward: id * 0.5,
    nextObservation: [id + 1, -id - 1],
    terminated,
  };
}

/** Pearson chi-square of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[], n: number): number {
  return counts.reduce((acc, c, i) => {
    const e = n * (probs[i] as number);
    return acc + (c - e) ** 2 / e;
  }, 0);
}

describe('ReplayBuffer', () => {
  it('keeps exactly the last `capacity` transitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 60 }), (capacity, count) => {
        const buf = new ReplayBuffer(capacity, 2, 1);
        for (let id = 0; id < count; id++) buf.add(transition(id));
        expect(buf.size).toBe(Math.min(count, capacity));
        const stored = Array.from({ length: buf.size }, (_, s) => buf.observations[2 * s] as number).sort(
          (a, b) => a - b,
        );
        const expected = Array.from(
          { length: Math.min(count, capacity) },
          (_, i) => count - Math.min(count, capacity) + i,
        );
        expect(stored).toEqual(expected);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('keeps reserved transitions forever and rings the rest over the other slots', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 20 })
          .chain((capacity) =>
            fc.tuple(
              fc.constant(capacity),
              fc.integer({ min: 1, max: capacity - 1 }),
              fc.integer({ min: 0, max: 60 }),
              fc.integer({ min: 0, max: 2 ** 31 }),
            ),
          ),
        ([capacity, reserved, count, seed]) => {
          const buf = new ReplayBuffer(capacity, 2, 1, { reserved });
          const demos = Math.min(reserved, 1 + (count % reserved));
          const ids: number[] = [];
          for (let d = 0; d < demos; d++) buf.addReserved(transition(1000 + d));
          for (let id = 0; id < count; id++) buf.add(transition(id));
          const ring = capacity - reserved;
          for (let d = 0; d < demos; d++) ids.push(1000 + d);
          for (let id = Math.max(0, count - ring); id < count; id++) ids.push(id);
          expect(buf.size).toBe(ids.length);
          const stored: number[] = [];
          for (let s = 0; s < capacity; s++) if (buf.isOccupied(s)) stored.push(buf.observations[2 * s] as number);
          expect(stored.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
          const batch = buf.createBatch(64);
          buf.sample(createRng(seed), batch);
          let ok = true;
          for (let i = 0; i < batch.size; i++) ok &&= ids.includes(batch.observations[2 * i] as number);
          expect(ok).toBe(true);
          if (demos === reserved) {
            expect(() => buf.addReserved(transition(9))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
          }
        },
      ),
      { seed: 15, numRuns: 200 },
    );
  });

  it('samples whole rows into the preallocated batch, reusing its arrays', () => {
    const buf = new ReplayBuffer(8, 2, 1);
    for (let id = 0; id < 12; id++) buf.add(transition(id, id % 3 === 0));
    const batch = buf.createBatch(32);
    const arrays = [batch.observations, batch.actions, batch.rewards];
    buf.sample(createRng(1), batch);
    expect([batch.observations, batch.actions, batch.rewards]).toEqual(arrays);
    expect(batch.observations).toBe(arrays[0]);
    for (let i = 0; i < batch.size; i++) {
      const id = batch.observations[2 * i] as number;
      expect(id).toBeGreaterThanOrEqual(4);
      expect(batch.observations[2 * i + 1]).toBe(-id);
      expect(batch.actions[i]).toBe(2 * id);
      expect(batch.rewards[i]).toBe(id * 0.5);
      expect(batch.nextObservations[2 * i]).toBe(id + 1);
      expect(batch.terminated[i]).toBe(id % 3 === 0 ? 1 : 0);
    }
  });

  it('samples uniformly', () => {
    const buf = new ReplayBuffer(5, 2, 1);
    for (let id = 0; id < 5; id++) buf.add(transition(id));
    const batch = buf.createBatch(1000);
    const counts = [0, 0, 0, 0, 0];
    const rng = createRng(2);
    for (let r = 0; r < 10; r++) {
      buf.sample(rng, batch);
      for (const s of batch.indices) counts[s]! += 1;
    }
    // df = 4: P(chi2 > 20) < 0.001.
    expect(chiSquare(counts, [0.2, 0.2, 0.2, 0.2, 0.2], 10_000)).toBeLessThan(20);
  });

  it('rejects wrong dimensions and sampling when empty', () => {
    const buf = new ReplayBuffer(4, 2, 1);
    expect(() => buf.sample(createRng(0), buf.createBatch(2))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => buf.add({ ...transition(0), observation: [1] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('SumTree', () => {
  const updates = fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1e6, noNaN: true })), { maxLength: 200 });

  it('after arbitrary updates the total equals that of a fresh tree and, for dyadic priorities, the exact sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), updates, fc.boolean(), (capacity, ups, dyadic) => {
        const tree = new SumTree(capacity);
        const prio = new Float64Array(capacity);
        for (const [i, raw] of ups) {
          // Multiples of 1/1024 below 2^20 add without rounding, so the exact sum is the reference.
          const p = dyadic ? Math.round(raw) / 1024 : raw;
          tree.set(i % capacity, p);
          prio[i % capacity] = p;
        }
        const fresh = new SumTree(capacity);
        prio.forEach((p, i) => {
          fresh.set(i, p);
        });
        expect(tree.total).toBe(fresh.total);
        const naive = prio.reduce((a, b) => a + b, 0);
        if (dyadic) expect(tree.total).toBe(naive);
        else expect(Math.abs(tree.total - naive)).toBeLessThanOrEqual(1e-12 * Math.max(1, naive));
        for (let i = 0; i < capacity; i++) expect(tree.get(i)).toBe(prio[i]);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('find returns the leaf whose prefix interval holds the query and never a zero leaf', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 100, noNaN: true })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (prio, u) => {
          fc.pre(prio.some((p) => p > 0));
          const tree = new SumTree(prio.length);
          prio.forEach((p, i) => {
            tree.set(i, p);
          });
          const q = u * tree.total;
          const leaf = tree.find(q);
          expect(prio[leaf]).toBeGreaterThan(0);
          let before = 0;
          for (let i = 0; i < leaf; i++) before += prio[i] as number;
          const tol = 1e-9 * tree.total;
          expect(q).toBeGreaterThanOrEqual(before - tol);
          expect(q).toBeLessThanOrEqual(before + (prio[leaf] as number) + tol);
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  it('rejects negative and non-finite priorities with NUMERIC_INVALID', () => {
    const tree = new SumTree(3);
    expect(() => tree.set(0, -1)).toThrow(expect.objectContaining({ code: 'NUMERIC_INVALID' }));
    expect(() => tree.set(0, Number.NaN)).toThrow(expect.objectContaining({ code: 'NUMERIC_INVALID' }));
    expect(() => tree.set(3, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('PrioritizedReplay', () => {
  it('sampling frequencies follow p^α / Σ p^α (chi-square bound, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 2, maxLength: 12 }),
        fc.constantFrom(0, 0.5, 0.6, 1),
        fc.integer({ min: 0, max: 1000 }),
        (deltas, alpha, seed) => {
          const per = new PrioritizedReplay(deltas.length, 2, 1, { alpha, epsilonAgent: 0.01 });
          deltas.forEach((_, id) => {
            per.add(transition(id));
          });
          per.updatePriorities(
            deltas.map((_, i) => i),
            deltas,
          );
          const w = deltas.map((d) => (Math.abs(d) + 0.01) ** alpha);
          const total = w.reduce((a, b) => a + b, 0);
          expect(per.totalPriority).toBeCloseTo(total, 9);
          const probs = w.map((x) => x / total);
          const batch = per.createBatch(256);
          const counts = deltas.map(() => 0);
          const rng = createRng(seed);
          const rounds = 40;
          let rowsMatch = true;
          for (let r = 0; r < rounds; r++) {
            per.sample(rng, batch);
            for (let i = 0; i < batch.size; i++) {
              const slot = batch.indices[i] as number;
              counts[slot]! += 1;
              rowsMatch &&= batch.observations[2 * i] === slot;
            }
          }
          expect(rowsMatch).toBe(true);
          const n = rounds * batch.size;
          // Bins expected to be very rare dominate chi-square by chance; merge them into one as usual (expected >= 5).
          const mergedCounts: number[] = [];
          const mergedProbs: number[] = [];
          let restC = 0;
          let restP = 0;
          probs.forEach((p, i) => {
            if (p * n >= 5) {
              mergedCounts.push(counts[i] as number);
              mergedProbs.push(p);
            } else {
              restC += counts[i] as number;
              restP += p;
            }
          });
          if (restP > 0) {
            mergedCounts.push(restC);
            mergedProbs.push(restP);
          }
          const df = Math.max(1, mergedCounts.length - 1);
          // Far beyond the 0.999 quantile for df <= 11 (31.3); stratified sampling only tightens the spread.
          expect(chiSquare(mergedCounts, mergedProbs, n)).toBeLessThan(df + 10 * Math.sqrt(2 * df) + 10);
        },
      ),
      { seed: 14, numRuns: 60 },
    );
  });

  it('uses ε_D for demonstrations and ε_A for agent data (DIRS Eq. 15)', () => {
    const per = new PrioritizedReplay(4, 2, 1, { alpha: 1, epsilonAgent: 0.01, epsilonDemo: 0.5 });
    const demo = per.add(transition(0), { demo: true });
    const agent = per.add(transition(1));
    per.updatePriorities([demo, agent], [0.2, -0.2]);
    expect(per.priority(demo)).toBeCloseTo(0.7, 12);
    expect(per.priority(agent)).toBeCloseTo(0.21, 12);
    expect(per.isDemonstration(demo)).toBe(true);
    const batch = per.createBatch(64);
    per.sample(createRng(3), batch);
    for (let i = 0; i < batch.size; i++) expect(batch.isDemo[i]).toBe(batch.indices[i] === demo ? 1 : 0);
  });

  it('gives new transitions the largest priority so far and normalised importance weights', () => {
    const per = new PrioritizedReplay(3, 2, 1, { alpha: 1, beta: 1, epsilonAgent: 0.5 });
    per.add(transition(0));
    per.add(transition(1));
    per.updatePriorities([0, 1], [3.5, 0.5]); // p = 4 and 1
    const fresh = per.add(transition(2));
    expect(per.priority(fresh)).toBe(4);
    const batch = per.createBatch(90);
    per.sample(createRng(4), batch);
    for (let i = 0; i < batch.size; i++) {
      const p = per.priority(batch.indices[i] as number);
      // w = (N P)^-β / max w with β = 1: the least likely slot (p = 1) gets 1, the others p_min / p.
      expect(batch.weights[i]).toBeCloseTo(1 / p, 6);
    }
  });

  it('keeps demonstrations in their reserved slots while agent data wraps around', () => {
    const per = new PrioritizedReplay(6, 2, 1, { demoCapacity: 2, alpha: 1, epsilonDemo: 1, epsilonAgent: 0.01 });
    per.add(transition(100), { demo: true });
    per.add(transition(101), { demo: true });
    for (let id = 0; id < 50; id++) per.add(transition(id));
    expect(per.size).toBe(6);
    expect([per.storage.observations[0], per.storage.observations[2]]).toEqual([100, 101]);
    expect([0, 1].map((s) => per.isDemonstration(s))).toEqual([true, true]);
    per.updatePriorities([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0]);
    const batch = per.createBatch(200);
    per.sample(createRng(5), batch);
    let demoRows = 0;
    for (let i = 0; i < batch.size; i++) {
      const id = batch.observations[2 * i] as number;
      expect(batch.isDemo[i]).toBe(id >= 100 ? 1 : 0);
      if (id < 100) expect(id).toBeGreaterThanOrEqual(46);
      demoRows += batch.isDemo[i] as number;
    }
    // p = 1 for each demo vs 0.01 for each of 4 agent transitions: demos are 2 / 2.04 of the mass.
    expect(demoRows).toBeGreaterThan(180);
  });

  it('rejects non-finite TD errors', () => {
    const per = new PrioritizedReplay(2, 2, 1);
    per.add(transition(0));
    expect(() => per.updatePriorities([0], [Number.NaN])).toThrow(expect.objectContaining({ code: 'NUMERIC_INVALID' }));
  });
});
