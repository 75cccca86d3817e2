import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DT_RL_UAV_CASE,
  distance2d,
  distance3d,
  distancesInto,
  inCoverage,
  RandomWaypoint,
  straightLinePosition,
  uavStepToward,
} from '../src/index.js';

const coord = fc.double({ min: -1e4, max: 1e4, noNaN: true });

describe('mobility', () => {
  it('a UAV never moves faster than its maximum speed and never overshoots its target', () => {
    fc.assert(
      fc.property(
        coord,
        coord,
        coord,
        coord,
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (x, y, tx, ty, v, dt) => {
          const pos = { x, y, z: DT_RL_UAV_CASE.heightM };
          const target = { x: tx, y: ty, z: DT_RL_UAV_CASE.heightM };
          const before = distance3d(pos, target);
          const start = { ...pos };
          const moved = uavStepToward(pos, target, v, dt);
          expect(distance3d(start, pos)).toBeLessThanOrEqual(v * dt * (1 + 1e-9) + 1e-9);
          expect(moved).toBeLessThanOrEqual(v * dt + 1e-9);
          expect(distance3d(pos, target)).toBeLessThanOrEqual(before + 1e-9);
          expect(distance3d(pos, target)).toBeCloseTo(Math.max(0, before - v * dt), 6);
        },
      ),
    );
  });
  it('distances are symmetric, 3-D ≥ 2-D, and the vectorised matrix equals the scalar form', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 5 }),
        (a, b) => {
          const out = distancesInto(new Float64Array(a.length * b.length), a.flat(), b.flat());
          for (let i = 0; i < a.length; i++) {
            for (let j = 0; j < b.length; j++) {
              const [ax, ay] = a[i] as [number, number];
              const [bx, by] = b[j] as [number, number];
              expect(out[i * b.length + j]).toBe(distance2d(ax, ay, bx, by));
              expect(distance2d(ax, ay, bx, by)).toBe(distance2d(bx, by, ax, ay));
              expect(distance3d({ x: ax, y: ay, z: 5 }, { x: bx, y: by })).toBeGreaterThanOrEqual(
                distance2d(ax, ay, bx, by),
              );
            }
          }
        },
      ),
    );
  });
  it('straight line moves at constant speed; coverage is inclusive of the radius', () => {
    expect(straightLinePosition({ x: 0, y: 0 }, { x: 3, y: 4 }, 2)).toEqual({ x: 6, y: 8, z: 0 });
    expect(inCoverage({ x: 0, y: 0 }, { x: 3, y: 4 }, 5)).toBe(true);
    expect(inCoverage({ x: 0, y: 0 }, { x: 3, y: 4.01 }, 5)).toBe(false);
  });
  it('random waypoint stays inside its area and respects its maximum speed', () => {
    const rw = new RandomWaypoint(createRng(3), 5000, 5000, 1, 8, 2);
    let prev = { ...rw.position };
    for (let k = 0; k < 2000; k++) {
      const p = rw.step(0.5);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(5000);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(5000);
      expect(distance3d(prev, p)).toBeLessThanOrEqual(8 * 0.5 + 1e-9);
      prev = { ...p };
    }
  });
});
