import type { Rng } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import type { Point } from './jamming.js';
import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/** A mutable position, metres (z = altitude, 0 on the ground). */
export interface Position {
  x: number;
  y: number;
  z: number;
}

/** 2-D Euclidean distance √((x1-x2)² + (y1-y2)²), m. */
export function distance2d(ax: number, ay: number, bx: number, by: number): number {
  return Math.hypot(
    requireFinite(ax, 'ax') - requireFinite(bx, 'bx'),
    requireFinite(ay, 'ay') - requireFinite(by, 'by'),
  );
}

/** 3-D Euclidean distance between points (z defaults to 0), m; e.g. a UAV at height 5 m to a ground user (seed 001). */
export function distance3d(a: Point, b: Point): number {
  const dz = requireFinite(a.z ?? 0, 'a.z') - requireFinite(b.z ?? 0, 'b.z');
  return Math.hypot(distance2d(a.x, a.y, b.x, b.y), dz);
}

/** Whether `p` lies within `radiusM` of `center` (3-D distance, inclusive). */
export function inCoverage(center: Point, p: Point, radiusM: number): boolean {
  return distance3d(center, p) <= requireNonNegative(radiusM, 'radiusM');
}

/** Pairwise distances from N points to M points into `out` (row-major N×M). Allocates nothing. */
export function distancesInto<A extends Float32Array | Float64Array>(
  out: A,
  fromXY: ArrayLike<number>,
  toXY: ArrayLike<number>,
): A {
  const n = fromXY.length >> 1;
  const m = toXY.length >> 1;
  if (out.length < n * m)
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `out needs length ${n * m}, got ${out.length}`);
  for (let i = 0; i < n; i++) {
    const x = fromXY[2 * i] as number;
    const y = fromXY[2 * i + 1] as number;
    for (let j = 0; j < m; j++)
      out[i * m + j] = Math.hypot(x - (toXY[2 * j] as number), y - (toXY[2 * j + 1] as number));
  }
  return out;
}

/** Straight-line motion at constant velocity: p(t) = p0 + v·t (velocity in m/s). */
export function straightLinePosition(start: Point, velocity: Point, t: number): Position {
  requireNonNegative(t, 't');
  return {
    x: start.x + velocity.x * t,
    y: start.y + velocity.y * t,
    z: (start.z ?? 0) + (velocity.z ?? 0) * t,
  };
}

/**
 * UAV kinematics with a speed limit: moves `pos` toward `target` by at most v_max·dt (in place) and returns the
 * distance moved. Seed 001: UAVs at a height of 5 m flying at 8 m/s.
 */
export function uavStepToward(pos: Position, target: Point, maxSpeedMps: number, dt: number): number {
  requireNonNegative(maxSpeedMps, 'maxSpeedMps');
  requireNonNegative(dt, 'dt');
  const dx = target.x - pos.x;
  const dy = target.y - pos.y;
  const dz = (target.z ?? pos.z) - pos.z;
  const d = Math.hypot(dx, dy, dz);
  const step = maxSpeedMps * dt;
  if (d <= step) {
    pos.x = target.x;
    pos.y = target.y;
    pos.z = target.z ?? pos.z;
    return d;
  }
  const s = step / d;
  pos.x += dx * s;
  pos.y += dy * s;
  pos.z += dz * s;
  return step;
}

/**
 * Random waypoint mobility in a rectangle [0, width]×[0, height]: pick a uniform waypoint and a speed in
 * [vMin, vMax], travel in a straight line, pause, repeat. Source: Johnson & Maltz (1996).
 */
export class RandomWaypoint {
  readonly position: Position;
  #target: Position;
  #speed: number;
  #pauseLeft = 0;

  constructor(
    readonly rng: Rng,
    readonly width: number,
    readonly height: number,
    readonly minSpeed: number,
    readonly maxSpeed: number,
    readonly pauseS = 0,
    start?: Point,
  ) {
    requirePositive(width, 'width');
    requirePositive(height, 'height');
    requirePositive(minSpeed, 'minSpeed');
    requirePositive(maxSpeed, 'maxSpeed');
    requireNonNegative(pauseS, 'pauseS');
    if (maxSpeed < minSpeed) throw new TwinforgeError('PHYSICS_INVALID_INPUT', 'maxSpeed must be >= minSpeed');
    this.position = start
      ? { x: start.x, y: start.y, z: start.z ?? 0 }
      : { x: rng.uniform(0, width), y: rng.uniform(0, height), z: 0 };
    this.#target = this.#pick();
    this.#speed = rng.uniform(minSpeed, maxSpeed);
  }

  #pick(): Position {
    return { x: this.rng.uniform(0, this.width), y: this.rng.uniform(0, this.height), z: this.position.z };
  }

  /** Advances by dt seconds; returns the position (the same mutable object). */
  step(dt: number): Position {
    let left = requireNonNegative(dt, 'dt');
    while (left > 0) {
      if (this.#pauseLeft > 0) {
        const p = Math.min(this.#pauseLeft, left);
        this.#pauseLeft -= p;
        left -= p;
        continue;
      }
      const d = distance3d(this.position, this.#target);
      const need = d / this.#speed;
      if (need > left) {
        uavStepToward(this.position, this.#target, this.#speed, left);
        left = 0;
      } else {
        uavStepToward(this.position, this.#target, this.#speed, need);
        left -= need;
        this.#pauseLeft = this.pauseS;
        this.#target = this.#pick();
        this.#speed = this.rng.uniform(this.minSpeed, this.maxSpeed);
      }
    }
    return this.position;
  }
}
