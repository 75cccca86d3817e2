import { createRng, type ScenarioEvent } from '@twinforge/core';
import { timelineViolations } from '@twinforge/fidelity';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodingMasks,
  EOS,
  encodeTimeline,
  fitQuantizer,
  fromBin,
  openStateCount,
  openStates,
  pickToken,
  TimelineDecoder,
  toBin,
  Vocabulary,
} from '../src/index.js';
import { RULES, smallVocabulary } from './helpers.js';

const vocab = new Vocabulary(smallVocabulary());

const timeline: ScenarioEvent[] = [
  { kind: 'node-fail', t: 3.2, node: 4 },
  {
    kind: 'jammer-on',
    t: 10.5,
    jammer: 1,
    position: { x: 1200, y: 4300 },
    radius_m: 800,
    power_W: 0.3,
    channel: 2,
  },
  { kind: 'traffic-surge', t: 10.9, factor: 2.5, duration_s: 20 },
  {
    kind: 'traffic-surge',
    t: 40,
    region: { center: { x: 2500, y: 100 }, radius_m: 900 },
    factor: 4,
    duration_s: 15,
  },
  { kind: 'link-degrade', t: 41, from: 3, to: 20, loss_dB: 12, duration_s: 30 },
  { kind: 'node-recover', t: 77, node: 4 },
  { kind: 'jammer-off', t: 99.9, jammer: 1 },
];

describe('quantizers', () => {
  it('a value lands in its bin and a draw from the bin lands back in it (property, linear and log)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (v, log, seed) => {
          const q = { lo: 0.05, hi: 5, bins: 8, log };
          const b = toBin(q, v);
          expect(toBin(q, fromBin(q, b, createRng(seed)))).toBe(b);
        },
      ),
    );
    expect(fitQuantizer([3, 3], 4)).toMatchObject({ lo: 2.97, hi: 3.03 });
  });
});

describe('event tokens', () => {
  it('encode → decode keeps kinds, ids and bins; times stay in their bins and never decrease', () => {
    const tokens = encodeTimeline(vocab, timeline.slice(0, 6), [1, 3]);
    expect(tokens.slice(0, 3)).toEqual(vocab.prefix([1, 3]));
    expect(tokens.at(-1)).toBe(EOS);
    const dec = new TimelineDecoder(vocab);
    const rng = createRng(1);
    for (const tok of tokens.slice(3)) dec.push(tok, rng);
    expect(dec.done).toBe(true);
    expect(dec.events.map((e) => e.kind)).toEqual(timeline.slice(0, 6).map((e) => e.kind));
    dec.events.forEach((e, i) => {
      const want = timeline[i] as ScenarioEvent;
      expect(Math.floor(e.t / 5)).toBe(Math.floor(want.t / 5));
    });
    expect((dec.events[1] as Extract<ScenarioEvent, { kind: 'jammer-on' }>).channel).toBe(2);
    expect((dec.events[4] as Extract<ScenarioEvent, { kind: 'link-degrade' }>).to).toBe(20);
    expect(timelineViolations(dec.events, RULES)).toEqual([]);
  });
  it('timelines longer than maxEvents are cut; an unknown condition is the group’s last token', () => {
    const tokens = encodeTimeline(vocab, timeline, [null, 0]);
    expect(tokens[1]).toBe(vocab.token('cond:jammers', 4));
    const dec = new TimelineDecoder(vocab);
    for (const tok of tokens.slice(3)) dec.push(tok, createRng(2));
    expect(dec.events).toHaveLength(6);
  });
});

describe('constrained decoding grammar', () => {
  it('masks what would break a rule and refuses a forbidden token', () => {
    const dec = new TimelineDecoder(vocab);
    const mask = dec.allowed();
    expect(mask[vocab.kindToken('node-recover')]).toBe(0);
    expect(mask[vocab.kindToken('jammer-off')]).toBe(0);
    expect(mask[vocab.kindToken('node-fail')]).toBe(1);
    expect(mask[EOS]).toBe(1);
    expect(() => dec.push(vocab.kindToken('node-recover'), createRng(1))).toThrow(/not allowed/);
    const rng = createRng(3);
    dec.push(vocab.kindToken('node-fail'), rng);
    dec.push(vocab.token('time', 7), rng);
    expect(dec.allowed()[vocab.token('node', 20)]).toBe(0); // the gateway never fails
    dec.push(vocab.token('node', 5), rng);
    dec.push(vocab.kindToken('node-fail'), rng);
    const times = dec.allowed();
    expect(times[vocab.token('time', 6)]).toBe(0);
    expect(times[vocab.token('time', 7)]).toBe(1);
    dec.push(vocab.token('time', 9), rng);
    expect(dec.allowed()[vocab.token('node', 5)]).toBe(0); // already down
  });
  it('ends with EOS only once maxEvents events are out', () => {
    const dec = new TimelineDecoder(new Vocabulary(smallVocabulary(1)));
    const v = dec.vocab;
    const rng = createRng(1);
    for (const t of [
      v.kindToken('traffic-surge'),
      v.token('time', 0),
      v.token('region', 0),
      v.token('surgeFactor', 0),
      v.token('surgeDuration', 0),
    ]) {
      dec.push(t, rng);
    }
    const mask = dec.allowed();
    expect(mask.reduce((a, b) => a + b, 0)).toBe(1);
    expect(mask[EOS]).toBe(1);
  });
});

describe('delta time tokens', () => {
  const dv = new Vocabulary(smallVocabulary(6, 'delta'));
  const time = (tok: number) => tok - dv.range('time').offset;
  it('encode the step from the previous event’s bin; decoding gives back the absolute bins', () => {
    const tokens = encodeTimeline(dv, timeline.slice(0, 6), [1, 3]);
    const dec = new TimelineDecoder(dv);
    const steps: number[] = [];
    for (const [i, tok] of tokens.slice(3).entries()) {
      if (dv.decode(tok).group === 'time' && dv.decode(tokens[3 + i - 1] as number).group === 'kind') {
        steps.push(time(tok));
      }
      dec.push(tok, createRng(4));
    }
    // Absolute 5 s bins 0, 2, 2, 8, 8, 15 → steps 0, 2, 0, 6, 0, 7.
    expect(steps).toEqual([0, 2, 0, 6, 0, 7]);
    dec.events.forEach((e, i) => {
      expect(Math.floor(e.t / 5)).toBe(Math.floor((timeline[i] as ScenarioEvent).t / 5));
    });
    expect(() =>
      encodeTimeline(
        dv,
        [
          { kind: 'node-fail', t: 30, node: 1 },
          { kind: 'node-fail', t: 10, node: 2 },
        ],
        [0, 0],
      ),
    ).toThrow(/decrease/);
  });
  it('mask steps that would pass the horizon; the state carries the clock', () => {
    const dec = new TimelineDecoder(dv);
    const rng = createRng(5);
    expect(dec.stateIds()).toEqual([0, openStateCount(dv) - 20]);
    dec.push(dv.kindToken('node-fail'), rng);
    dec.push(dv.token('time', 17), rng);
    dec.push(dv.token('node', 3), rng);
    expect(dec.stateIds()).toEqual([1, openStateCount(dv) - 20 + 17]);
    dec.push(dv.kindToken('node-recover'), rng);
    const mask = dec.allowed();
    const { offset } = dv.range('time');
    expect(
      Array.from(mask.subarray(offset, offset + 20))
        .map((m, i) => (m ? i : -1))
        .filter((i) => i >= 0),
    ).toEqual([0, 1, 2]);
  });
});

describe('time materialisation', () => {
  // Three events in time bin 7 (of 5 s): kinds and ids that need no state.
  const run = [
    vocab.kindToken('traffic-surge'),
    vocab.token('time', 7),
    vocab.token('region', 0),
    vocab.token('surgeFactor', 0),
    vocab.token('surgeDuration', 0),
  ];
  it('events sharing a bin get sorted uniform draws in it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (k, seed) => {
        const dec = new TimelineDecoder(vocab);
        const rng = createRng(seed);
        for (let j = 0; j < k; j++) for (const tok of run) dec.push(tok, rng);
        const ts = dec.events.map((e) => e.t);
        expect(ts).toEqual([...ts].sort((a, b) => a - b));
        for (const t of ts) expect(Math.floor(t / 5)).toBe(7);
      }),
    );
  });
  it('a same-bin pair is distributed like two sorted uniforms (gap mean w/3), not like a draw after the first (w/4)', () => {
    const rng = createRng(11);
    let first = 0;
    let gap = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const dec = new TimelineDecoder(vocab);
      for (const tok of [...run, ...run]) dec.push(tok, rng);
      const [a, b] = dec.events.map((e) => e.t) as [number, number];
      first += (a - 35) / 5;
      gap += (b - a) / 5;
    }
    // Standard errors ≈ 0.004: sorted uniforms give 1/3 and 1/3; drawing the second after the first gave 1/2 and 1/4.
    expect(first / n).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(gap / n - 1 / 3)).toBeLessThan(0.02);
  });
});

describe('open states (the network’s view of unclosed openers)', () => {
  it('count jammers on and nodes down after every token; prefix positions are 0', () => {
    const tokens = encodeTimeline(vocab, timeline, [1, 3]);
    const states = openStates(vocab, tokens);
    expect(states.length).toBe(tokens.length);
    const nodesDown = 7; // smallVocabulary has 20 nodes: counts capped at 6, so 7 values per jammer count
    const id = (on: number, down: number) => on * nodesDown + down;
    expect(openStateCount(vocab)).toBe(4 * nodesDown);
    expect(Array.from(states.subarray(0, vocab.prefixLength))).toEqual([0, 0, 0]);
    // The state after each event's last token (kinds: fail, on, surge, surge, degrade, recover; cut at 6 events).
    const ends: number[] = [];
    let pos = vocab.prefixLength;
    const dec = new TimelineDecoder(vocab);
    for (; pos < tokens.length; pos++) {
      const before = dec.events.length;
      dec.push(tokens[pos] as number, createRng(0));
      if (dec.events.length > before) ends.push(states[pos] as number);
    }
    expect(ends).toEqual([id(0, 1), id(1, 1), id(1, 1), id(1, 1), id(1, 1), id(1, 0)]);
    // Inside an event the state is still the one before it (the node-fail's kind and time tokens).
    expect(states[vocab.prefixLength]).toBe(0);
    expect(states[vocab.prefixLength + 1]).toBe(0);
  });
});

describe('decoding masks (constrained training)', () => {
  it('every real token is allowed in its row; prefix rows allow everything', () => {
    const tokens = encodeTimeline(vocab, timeline.slice(0, 6), [1, 3]);
    const masks = decodingMasks(vocab, tokens) as Uint8Array;
    const V = vocab.size;
    expect(masks.length).toBe((tokens.length - 1) * V);
    for (let i = 0; i < tokens.length - 1; i++) expect(masks[i * V + (tokens[i + 1] as number)]).toBe(1);
    expect(masks.subarray(0, V).every((m) => m === 1)).toBe(true);
    // After the first event's kind (node-fail), its time row forbids nothing yet; the node row forbids the gateway.
    expect(masks[4 * V + vocab.token('node', 20)]).toBe(0);
  });
  it('a timeline that breaks a rule has no constrained masks, only syntax-only ones', () => {
    const twice: ScenarioEvent[] = [
      { kind: 'node-fail', t: 1, node: 2 },
      { kind: 'node-fail', t: 2, node: 2 },
    ];
    const tokens = encodeTimeline(vocab, twice, [0, 0]);
    expect(decodingMasks(vocab, tokens)).toBeUndefined();
    expect(decodingMasks(vocab, tokens, false)).toBeInstanceOf(Uint8Array);
  });
});

describe('pickToken', () => {
  it('never returns a masked token, whatever the logits, temperature and top-k (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(Number.POSITIVE_INFINITY, Number.NaN)), {
          minLength: 12,
          maxLength: 12,
        }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }).filter((m) => m.some(Boolean)),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        (logits, allowed, temp, k, seed) => {
          const mask = Uint8Array.from(allowed, (a) => (a ? 1 : 0));
          const tok = pickToken(Float32Array.from(logits), 0, mask, temp, k, createRng(seed));
          expect(mask[tok]).toBe(1);
        },
      ),
    );
  });
  it('top-1 is greedy among the allowed tokens', () => {
    const logits = Float32Array.of(5, 1, 3, 4);
    expect(pickToken(logits, 0, Uint8Array.of(0, 1, 1, 1), 1, 1, createRng(1))).toBe(3);
  });
});
