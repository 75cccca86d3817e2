import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple } from '../src/index.js';
import { actionCodec } from '../src/vector/action-codec.js';
import { spaceArb } from './arbitraries.js';

describe('actionCodec (how AsyncVectorEnv moves actions through shared memory)', () => {
  it('decode(encode(a)) = a for samples of any space, at any offset, with the space’s array types', () => {
    fc.assert(
      fc.property(
        spaceArb,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 7 }),
        (space, seed, at) => {
          const codec = actionCodec(space.toJSON());
          const value = space.sample(createRng(seed));
          const buf = new Float64Array(at + codec.width + 3).fill(Number.NaN);
          codec.encode(value, buf, at);
          const back = codec.decode(buf, at);
          expect(back).toStrictEqual(value);
          expect(space.contains(back)).toBe(true);
          // Only its own cells were written.
          expect(buf.subarray(0, at).every(Number.isNaN)).toBe(true);
          expect(buf.subarray(at + codec.width).every(Number.isNaN)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is compact: one number per Discrete, one per Box entry, one per MultiDiscrete / MultiBinary entry', () => {
    const space = new Dict({
      a: new Discrete(7),
      b: new Box(-1, 1, { shape: [2, 3] }),
      c: new Tuple([new MultiDiscrete([3, 4]), new MultiBinary(5)]),
    });
    expect(actionCodec(space.toJSON()).width).toBe(1 + 6 + 2 + 5);
  });

  it('forwards out-of-range values (the env decides, as in SyncVectorEnv) but refuses the wrong structure', () => {
    const discrete = actionCodec(new Discrete(2).toJSON());
    const buf = new Float64Array(4);
    discrete.encode(5, buf, 0);
    expect(discrete.decode(buf, 0)).toBe(5);
    const box = actionCodec(new Box(-2, 2, { shape: [2] }).toJSON());
    box.encode(new Float32Array([9, -9]), buf, 1);
    expect(box.decode(buf, 1)).toEqual(new Float32Array([9, -9]));
    const bad = expect.objectContaining({ code: 'ENV_INVALID_ACTION' });
    expect(() => discrete.encode('1', buf, 0)).toThrow(bad);
    expect(() => box.encode([1, 2], buf, 0)).toThrow(bad);
    expect(() => box.encode(new Float64Array(2), buf, 0)).toThrow(bad);
    expect(() => box.encode(new Float32Array(3), buf, 0)).toThrow(bad);
    const tuple = actionCodec(new Tuple([new Discrete(2), new Discrete(3)]).toJSON());
    expect(() => tuple.encode([1], buf, 0)).toThrow(bad);
    const dict = actionCodec(new Dict({ a: new Discrete(2) }).toJSON());
    expect(() => dict.encode(null, buf, 0)).toThrow(bad);
    expect(() => dict.encode({ b: 1 }, buf, 0)).toThrow(bad);
  });
});
