import { createRng, isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createTwin,
  type DigitalDomain,
  gaussianStateNoise,
  snapshotsEqual,
  snapshotToJSON,
  type TwinSnapshot,
} from '../src/index.js';
import { WalkerModel, walkerSnapshot } from './walker-model.js';

type Walker = DigitalDomain<number, Float32Array>;

const twinOf = (seed = 1, horizon = 1000) =>
  createTwin({ model: new WalkerModel(), initial: walkerSnapshot(4, 2, horizon), rng: createRng(seed) });

/** A deep copy that cannot share memory with the snapshot (so a later in-place write would show as a difference). */
const frozenCopy = (s: TwinSnapshot) => JSON.stringify(snapshotToJSON(s));

describe('digital domains', () => {
  it('a change in one domain never leaks into another domain or into the identical domain (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('fork' as const), parent: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('step' as const), domain: fc.nat(), action: fc.constantFrom(-1, 0, 1) }),
      fc.record({ kind: fc.constant('noisy-fork' as const), parent: fc.nat() }),
      fc.record({ kind: fc.constant('mirror' as const), from: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(op, { minLength: 1, maxLength: 40 }), (seed, ops) => {
        const twin = twinOf(seed);
        const domains: Walker[] = [twin.identical];
        const noise = gaussianStateNoise([{ entity: 'devices', column: 'x', std: 0.5 }]);
        for (const o of ops) {
          const before = domains.map((d) => frozenCopy(d.snapshot));
          let touched: Walker | undefined;
          if (o.kind === 'fork') domains.push(...(domains[o.parent % domains.length] as Walker).fork(o.n));
          if (o.kind === 'noisy-fork')
            domains.push(...(domains[o.parent % domains.length] as Walker).fork(1, { noise }));
          if (o.kind === 'step') {
            touched = domains[o.domain % domains.length] as Walker;
            touched.step(o.action);
          }
          if (o.kind === 'mirror') {
            // The physical side reports a state: only the identical domain takes it.
            touched = twin.identical;
            twin.mirror((domains[o.from % domains.length] as Walker).snapshot);
          }
          domains.forEach((d, i) => {
            if (d !== touched && i < before.length) expect(frozenCopy(d.snapshot)).toBe(before[i]);
          });
        }
        twin.dispose();
      }),
      { numRuns: 150 },
    );
  });

  it('each fork steps with its own random stream; the same seed replays the same forks', () => {
    const run = (seed: number) => {
      const twin = twinOf(seed);
      const forks = twin.fork(3);
      const xs = forks.map((f) => Array.from(f.step(1).observation));
      twin.dispose();
      return xs;
    };
    const a = run(5);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(run(5)).toEqual(a);
    expect(run(6)).not.toEqual(a);
  });

  it('forks share untouched columns with their parent until they write them', () => {
    const twin = twinOf();
    const [fork] = twin.fork(1) as [Walker];
    expect(fork.snapshot).toBe(twin.snapshot);
    fork.step(0);
    expect(fork.snapshot.entities.devices?.columns.x).not.toBe(twin.snapshot.entities.devices?.columns.x);
    expect(fork.snapshot.entities.nodes).toBe(twin.snapshot.entities.nodes);
    expect(fork.role).toBe('different');
    expect(twin.identical.role).toBe('identical');
    twin.dispose();
  });

  it('predict(k, policy) looks ahead in throw-away forks and leaves the domain untouched', () => {
    const twin = twinOf(3, 5);
    const before = frozenCopy(twin.snapshot);
    const live = twin.liveDomains;
    const towardZero = (obs: Float32Array) => ((obs[0] as number) > 0 ? -1 : 1);
    const p = twin.predict(3, towardZero, { gamma: 0.9, rollouts: 4 });
    expect(frozenCopy(twin.snapshot)).toBe(before);
    expect(twin.liveDomains).toBe(live);
    expect(p.rollouts).toHaveLength(4);
    for (const r of p.rollouts) {
      expect(r.steps).toBe(3);
      const manual = (r.rewards[0] as number) + 0.9 * (r.rewards[1] as number) + 0.81 * (r.rewards[2] as number);
      expect(r.discountedReturn).toBeCloseTo(manual, 12);
      expect(r.finalSnapshot.time).toBe(3);
    }
    // The rollouts differ only by their random draws, so their mean is what the paper averages.
    expect(new Set(p.rollouts.map((r) => r.discountedReturn)).size).toBe(4);
    expect(p.meanReturn).toBeCloseTo(p.rollouts.reduce((s, r) => s + r.discountedReturn, 0) / 4, 12);
    // Rollouts stop at the end of the episode (horizon 5).
    const long = twin.predict(10, towardZero, { firstAction: 1 });
    expect(long.rollouts[0]?.steps).toBe(5);
    expect(long.rollouts[0]?.terminated).toBe(true);
    twin.dispose();
  });

  it('noise models make forks imperfect on purpose without touching the identical domain', () => {
    const twin = createTwin({
      model: new WalkerModel(),
      initial: walkerSnapshot(200, 4),
      rng: createRng(2),
      forkNoise: gaussianStateNoise([{ entity: 'devices', column: 'x', std: 2, min: -150, max: 150 }]),
    });
    const exact = twin.snapshot.entities.devices?.columns.x as Float64Array;
    const copy = Float64Array.from(exact);
    const [noisy] = twin.fork(1) as [Walker];
    const xs = noisy.snapshot.entities.devices?.columns.x as Float64Array;
    let sq = 0;
    for (let i = 0; i < xs.length; i++) sq += ((xs[i] as number) - (exact[i] as number)) ** 2;
    expect(Math.sqrt(sq / xs.length)).toBeGreaterThan(1.6);
    expect(Math.sqrt(sq / xs.length)).toBeLessThan(2.4);
    expect(Array.from(exact)).toEqual(Array.from(copy));
    twin.dispose();
  });

  it('delayed mirroring shows the physical state some steps late', () => {
    const physical = twinOf(9).identical;
    const twin = createTwin({
      model: new WalkerModel(),
      initial: physical.snapshot,
      rng: createRng(1),
      mirrorDelay: 2,
    });
    const states: TwinSnapshot[] = [physical.snapshot];
    for (let t = 0; t < 4; t++) {
      physical.step(1);
      states.push(physical.snapshot);
      twin.mirror(physical.snapshot);
    }
    expect(snapshotsEqual(twin.snapshot, states[2] as TwinSnapshot)).toBe(true);
    twin.resync(physical.snapshot);
    expect(twin.snapshot).toBe(physical.snapshot);
    twin.dispose();
  });

  it('rejects invalid actions, stepping past the end, and use after dispose', () => {
    const twin = twinOf(1, 1);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isTwinforgeError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => twin.identical.step(2))).toBe('ENV_INVALID_ACTION');
    twin.identical.step(0);
    expect(code(() => twin.identical.step(0))).toBe('ENV_NOT_RESET');
    twin.dispose();
    expect(code(() => twin.fork(1))).toBe('TWIN_DISPOSED');
    expect(code(() => twin.identical.step(0))).toBe('TWIN_DISPOSED');
  });
});
