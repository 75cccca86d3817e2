import type { ScenarioEvent } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluateEvents,
  eventBigramCounts,
  eventKindCounts,
  interArrivalTimes,
  type Timeline,
  timelineViolations,
  transitionL1,
} from '../src/index.js';

const fail = (t: number, node: number): ScenarioEvent => ({ kind: 'node-fail', t, node });
const recover = (t: number, node: number): ScenarioEvent => ({ kind: 'node-recover', t, node });
const on = (t: number, jammer: number): ScenarioEvent => ({
  kind: 'jammer-on',
  t,
  jammer,
  position: { x: 100, y: 100 },
  radius_m: 500,
  power_W: 1,
  channel: 0,
});
const off = (t: number, jammer: number): ScenarioEvent => ({ kind: 'jammer-off', t, jammer });
const surge = (t: number): ScenarioEvent => ({ kind: 'traffic-surge', t, factor: 2, duration_s: 10 });
const rules = { nodes: 20, horizon_s: 100, channels: 3, maxJammers: 4, width_m: 5000, height_m: 5000 };

describe('event statistics', () => {
  const tls: Timeline[] = [[fail(1, 0), recover(5, 0)], [on(2, 0), off(3, 0), surge(7)], []];
  it('kind counts, bigrams with start/end and inter-arrival times from t = 0', () => {
    expect(Array.from(eventKindCounts(tls))).toEqual([1, 1, 1, 1, 1, 0]);
    const big = eventBigramCounts(tls);
    const K = 6;
    expect(big[0 * (K + 1) + K]).toBe(1); // START → END (the empty timeline)
    expect(big[0 * (K + 1) + 0]).toBe(1); // START → node-fail
    expect(big[(0 + 1) * (K + 1) + 1]).toBe(1); // node-fail → node-recover
    expect(big.reduce((a, b) => a + b, 0)).toBe(5 + 3);
    expect(interArrivalTimes(tls)).toEqual([1, 4, 2, 1, 4]);
  });
  it('transition L1 is 0 against itself and 2 when a kind is never produced', () => {
    expect(transitionL1(tls, tls)).toBe(0);
    expect(transitionL1([[fail(1, 0)]], [[surge(1)]])).toBe(2);
  });
  it('transition L1 of a known pair: half of the fails go to END instead of recover → ½·|1−½|·2', () => {
    const real: Timeline[] = [[fail(1, 0), recover(2, 0)]];
    const gen: Timeline[] = [[fail(1, 0), recover(2, 0)], [fail(1, 0)]];
    // From node-fail: real [recover 1], gen [recover ½, END ½] → L1 = 1, weight ½; from recover: identical.
    expect(transitionL1(real, gen)).toBeCloseTo(0.5, 12);
  });
});

describe('timeline validity', () => {
  it('a well-formed timeline has no violation', () => {
    expect(timelineViolations([fail(1, 3), on(2, 0), recover(4, 3), off(9, 0), surge(9)], rules)).toEqual([]);
  });
  it('names each broken rule', () => {
    const cases: [Timeline, string][] = [
      [[fail(5, 0), fail(4, 1)], 'time-decreasing'],
      [[fail(101, 0)], 'time-invalid'],
      [[fail(1, 20)], 'node-missing'],
      [[recover(1, 2)], 'recover-before-fail'],
      [[fail(1, 2), fail(2, 2)], 'fail-while-down'],
      [[off(1, 0)], 'off-before-on'],
      [[on(1, 0), on(2, 0)], 'on-while-on'],
      [[on(1, 7)], 'jammer-id'],
      [[{ ...on(1, 0), channel: 3 } as ScenarioEvent], 'channel'],
      [[{ ...on(1, 0), position: { x: -1, y: 0 } } as ScenarioEvent], 'position'],
      [[{ kind: 'link-degrade', t: 1, from: 4, to: 4, loss_dB: 3 }], 'link-self'],
      [[{ kind: 'traffic-surge', t: 1, factor: 0, duration_s: 3 }], 'value'],
    ];
    for (const [tl, rule] of cases) expect(timelineViolations(tl, rules).map((v) => v.rule)).toContain(rule);
  });
  it('a link may end at the gateway (index = nodes)', () => {
    expect(timelineViolations([{ kind: 'link-degrade', t: 1, from: 3, to: 20, loss_dB: 3 }], rules)).toEqual([]);
  });
  it('random sorted fail/recover pairs of distinct nodes are valid (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 19 }), { maxLength: 5 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (nodes, t0) => {
          const tl: ScenarioEvent[] = [];
          for (const [i, n] of nodes.entries()) tl.push(fail(t0 + i, n));
          for (const [i, n] of nodes.entries()) tl.push(recover(t0 + 10 + i, n));
          expect(timelineViolations(tl, rules)).toEqual([]);
        },
      ),
    );
  });
});

describe('evaluateEvents', () => {
  it('a candidate equal to the reference scores 0, KS p = 1, no violations', () => {
    const ref: Timeline[] = Array.from({ length: 10 }, (_, i) => [fail(i + 1, i), on(i + 2, 0), recover(i + 3, i)]);
    const rep = evaluateEvents(ref, ref, { same: ref }, rules);
    expect(rep.candidates.same).toMatchObject({ unigramJs: 0, bigramJs: 0, transitionL1: 0 });
    expect(rep.candidates.same?.interArrival.pValue).toBe(1);
    expect(rep.candidates.same?.validity.rate).toBe(0);
  });
});
