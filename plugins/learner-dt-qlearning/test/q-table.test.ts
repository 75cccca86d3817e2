import { createRng, isTwinforgeError } from '@twinforge/core';
import { Box, Discrete } from '@twinforge/rl';
import { describe, expect, it } from 'vitest';
import { QTable, TabularStates } from '../src/index.js';

describe('QTable', () => {
  it('updates toward the target by α and finds the max', () => {
    const q = new QTable(2, 3, 0);
    q.update(1, 2, 10, 0.5);
    q.update(1, 2, 10, 0.5);
    expect(q.get(1, 2)).toBe(7.5);
    expect(q.max(1)).toBe(7.5);
    expect(q.greedy(1)).toBe(2);
    expect(() => q.update(0, 0, Number.NaN, 0.1)).toThrow(/Q target/);
  });

  it('breaks ties uniformly at random with an rng, by lowest index without', () => {
    const q = new QTable(1, 4, 0);
    q.update(0, 1, 1, 1);
    q.update(0, 3, 1, 1);
    const rng = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[q.greedy(0, rng)]++;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    expect(counts[1]).toBeGreaterThan(1800);
    expect(counts[3]).toBeGreaterThan(1800);
    expect(q.greedy(0)).toBe(1);
  });
});

describe('TabularStates', () => {
  it('bins a bounded Box row-major and clamps to the edge bins', () => {
    const s = new TabularStates(new Box([0, -1], [1, 1]), [4, 2]);
    expect(s.count).toBe(8);
    expect(s.index(Float32Array.of(0, -1))).toBe(0);
    expect(s.index(Float32Array.of(0, 0.5))).toBe(1);
    expect(s.index(Float32Array.of(0.3, -0.5))).toBe(2);
    expect(s.index(Float32Array.of(1, 1))).toBe(7);
    expect(s.index(Float32Array.of(7, -9))).toBe(6);
  });

  it('uses a Discrete observation as the index and rejects what cannot be tabulated', () => {
    const d = new TabularStates(new Discrete(5, 10), 3);
    expect(d.count).toBe(5);
    expect(d.index(12)).toBe(2);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isTwinforgeError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => new TabularStates(new Box(0, Number.POSITIVE_INFINITY, { shape: [2] }), 4))).toBe(
      'CONFIG_INVALID',
    );
    expect(code(() => new TabularStates(new Box(0, 1, { shape: [3] }), [2, 2]))).toBe('CONFIG_INVALID');
  });
});
