import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Box,
  ClipAction,
  type Env,
  FlattenObservation,
  NormalizeObservation,
  RecordEpisodeStatistics,
  RescaleAction,
  TimeLimit,
  unflatten,
} from '../src/index.js';
import { DictObsEnv, LineEnv } from './envs.js';

const zero = new Float32Array([0]);

describe('TimeLimit', () => {
  it('truncates (not terminates) at maxEpisodeSteps and restarts the count on reset', () => {
    const env = new TimeLimit(new LineEnv(), 3);
    env.reset({ seed: 1 });
    expect(env.step(zero).truncated).toBe(false);
    expect(env.step(zero).truncated).toBe(false);
    const last = env.step(zero);
    expect(last.truncated).toBe(true);
    expect(last.terminated).toBe(false);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(env.step(zero).truncated).toBe(false);
  });

  it('rejects step before reset and a non-positive limit', () => {
    expect(() => new TimeLimit(new LineEnv(), 5).step(zero)).toThrow(
      expect.objectContaining({ code: 'ENV_NOT_RESET' }),
    );
    expect(() => new TimeLimit(new LineEnv(), 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('RecordEpisodeStatistics', () => {
  it('reports return, length and time on the final step only', () => {
    let clock = 10;
    const env = new RecordEpisodeStatistics(new TimeLimit(new LineEnv(), 4), 2, () => clock);
    for (let ep = 0; ep < 3; ep++) {
      env.reset({ seed: ep });
      let sum = 0;
      for (let i = 0; i < 4; i++) {
        clock += 0.5;
        const r = env.step(new Float32Array([0.25]));
        sum += r.reward;
        if (i < 3) expect(r.info.episode).toBeUndefined();
        else expect(r.info.episode).toEqual({ r: sum, l: 4, t: 2 });
      }
    }
    expect(env.returnQueue).toHaveLength(2);
    expect(env.lengthQueue).toEqual([4, 4]);
  });
});

describe('action wrappers', () => {
  it('ClipAction clips into the inner bounds and exposes an unbounded Box', () => {
    const inner = new LineEnv();
    const env = new ClipAction(inner);
    expect(env.actionSpace.isBounded()).toBe(false);
    env.reset({ seed: 0 });
    env.step(new Float32Array([3]));
    expect(Array.from(inner.lastAction!)).toEqual([1]);
    env.step(new Float32Array([-0.5]));
    expect(Array.from(inner.lastAction!)).toEqual([-0.5]);
  });

  it('RescaleAction maps [-1, 1] affinely onto the inner bounds', () => {
    const inner = new LineEnv();
    Object.defineProperty(inner, 'actionSpace', { value: new Box(-2, 6, { shape: [1] }) });
    const env = new RescaleAction(inner, -1, 1);
    env.reset({ seed: 0 });
    for (const [a, b] of [
      [-1, -2],
      [0, 2],
      [1, 6],
      [0.5, 4],
    ] as const) {
      env.step(new Float32Array([a]));
      expect(inner.lastAction![0]).toBeCloseTo(b, 6);
    }
    expect(() => env.step(new Float32Array([1.5]))).toThrow(expect.objectContaining({ code: 'ENV_INVALID_ACTION' }));
  });

  it('RescaleAction rejects an unbounded inner space', () => {
    const inner = new LineEnv();
    Object.defineProperty(inner, 'actionSpace', { value: new Box(-Infinity, 1, { shape: [1] }) });
    expect(() => new RescaleAction(inner, -1, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('observation wrappers', () => {
  it('FlattenObservation yields vectors inside the flattened Box that unflatten to the inner observation', () => {
    const inner = new DictObsEnv();
    const env = new FlattenObservation(inner);
    expect(env.observationSpace.flatdim).toBe(5);
    const ref = new DictObsEnv();
    const a = env.reset({ seed: 3 }).observation;
    const b = ref.reset({ seed: 3 }).observation;
    expect(env.observationSpace.contains(a)).toBe(true);
    expect(unflatten(inner.observationSpace, a)).toEqual(b);
    for (let i = 0; i < 5; i++) {
      const fa = env.step(0).observation;
      expect(env.observationSpace.contains(fa)).toBe(true);
      expect(unflatten(inner.observationSpace, fa)).toEqual(ref.step(0).observation);
    }
  });

  it('NormalizeObservation tracks the two-pass mean and variance of everything it saw', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          {
            minLength: 1,
            maxLength: 50,
          },
        ),
        (rows) => {
          const obs = rows.map((r) => new Float32Array(r));
          let k = 0;
          const feed: Env<Float32Array, number> = {
            observationSpace: new Box(-Infinity, Infinity, { shape: [2] }),
            actionSpace: new Box(0, 1, { shape: [1] }) as never,
            reset: () => ({ observation: obs[k++] as Float32Array, info: {} }),
            step: () => ({
              observation: obs[k++] as Float32Array,
              reward: 0,
              terminated: false,
              truncated: false,
              info: {},
            }),
          };
          const env = new NormalizeObservation(feed);
          let last = env.reset().observation;
          for (let i = 1; i < obs.length; i++) last = env.step(0).observation;
          for (let d = 0; d < 2; d++) {
            const xs = obs.map((o) => o[d] as number);
            const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
            const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
            expect(env.mean[d]).toBeCloseTo(mean, 6);
            expect(Math.abs((env.var[d] as number) - variance)).toBeLessThan(1e-6 * Math.max(1, variance));
            const x = obs[obs.length - 1]![d] as number;
            expect(last[d]).toBeCloseTo(Math.fround((x - mean) / Math.sqrt(variance + 1e-8)), 2);
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('NormalizeObservation leaves its statistics alone when frozen', () => {
    const env = new NormalizeObservation(new LineEnv());
    env.reset({ seed: 2 });
    env.step(new Float32Array([0.5]));
    env.updateRunningStats = false;
    const before = env.mean;
    env.step(new Float32Array([0.5]));
    expect(env.mean).toEqual(before);
    expect(env.count).toBe(2);
  });
});
