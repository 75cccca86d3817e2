import fc from 'fast-check';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, type Space, Tuple } from '../src/index.js';

/** Bounds per dimension: bounded, half-bounded either way, or unbounded, so every sampling branch is exercised. */
const boundPair = fc.oneof(
  fc
    .tuple(fc.float({ min: -1e6, max: 1e6, noNaN: true }), fc.float({ min: 0, max: 1e3, noNaN: true }))
    .map(([lo, w]) => [lo, lo + w] as const),
  fc.float({ min: -1e3, max: 1e3, noNaN: true }).map((lo) => [lo, Infinity] as const),
  fc.float({ min: -1e3, max: 1e3, noNaN: true }).map((hi) => [-Infinity, hi] as const),
  fc.constant([-Infinity, Infinity] as const),
);

export const boxArb: fc.Arbitrary<Box> = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return fc.array(boundPair, { minLength: size, maxLength: size }).map(
      (pairs) =>
        new Box(
          pairs.map((p) => p[0]),
          pairs.map((p) => p[1]),
          { shape },
        ),
    );
  });

export const leafArb: fc.Arbitrary<Space<unknown>> = fc.oneof(
  boxArb,
  fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: -5, max: 5 })).map(([n, s]) => new Discrete(n, s)),
  fc
    .array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 4 })
    .map(
      (v) =>
        new MultiDiscrete(
          v.map((x) => x[0]),
          v.map((x) => x[1]),
        ),
    ),
  fc.integer({ min: 1, max: 8 }).map((n) => new MultiBinary(n)),
) as fc.Arbitrary<Space<unknown>>;

export const spaceArb: fc.Arbitrary<Space<unknown>> = fc.letrec<{ space: Space<unknown> }>((tie) => ({
  space: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('space'), { minKeys: 1, maxKeys: 3 })
      .map((d) => new Dict(d) as Space<unknown>),
    fc.array(tie('space'), { minLength: 1, maxLength: 3 }).map((a) => new Tuple(a) as Space<unknown>),
  ),
})).space;
