import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomizedScenarioGenerator } from '../src/randomized-scenarios.js';

describe('RandomizedScenarioGenerator', () => {
  it('timelines are time-ordered and self-consistent: a node fails once and recovers only after, a jammer turns on before off (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        (seed, nodes, maxFailures) => {
          const gen = new RandomizedScenarioGenerator({ nodes, maxFailures, horizon_s: 50 });
          const s = gen.sample({}, createRng(seed));
          const down = new Set<number>();
          const everFailed = new Set<number>();
          const on = new Set<number>();
          let last = 0;
          for (const e of s.events) {
            expect(e.t).toBeGreaterThanOrEqual(last);
            last = e.t;
            if (e.kind === 'node-fail') {
              expect(e.node).toBeLessThan(nodes);
              expect(everFailed.has(e.node), `node ${e.node} fails twice`).toBe(false);
              down.add(e.node);
              everFailed.add(e.node);
            } else if (e.kind === 'node-recover') {
              expect(down.delete(e.node), `node ${e.node} recovers while up`).toBe(true);
            } else if (e.kind === 'jammer-on') {
              on.add(e.jammer);
            } else if (e.kind === 'jammer-off') {
              expect(on.delete(e.jammer)).toBe(true);
            }
          }
          expect(Number(s.params?.failures ?? 0)).toBeLessThanOrEqual(nodes);
        },
      ),
      { numRuns: 300 },
    );
  });
});
