import { TwinforgeError } from '@twinforge/core';
import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/** A point in 2-D or 3-D (z defaults to 0), metres. */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly z?: number;
}

/**
 * A jammer seen as an interferer (seed 003: a jammer disrupts all nodes within a radius, ~80 % packet loss).
 * The received jamming power is P_J·g(d) where g is the supplied path gain; outside `radiusM` (if given) or on a
 * different `channel` (if both sides name one) it contributes nothing.
 */
export interface Jammer {
  readonly powerW: number;
  readonly position: Point;
  readonly radiusM?: number;
  readonly channel?: number;
  /** Axis-aligned region alternative to radius: [xMin, yMin, xMax, yMax]. */
  readonly region?: readonly [number, number, number, number];
}

/** Euclidean distance between points (3-D when z is given). */
function dist(a: Point, b: Point): number {
  const dz = (a.z ?? 0) - (b.z ?? 0);
  return Math.hypot(a.x - b.x, a.y - b.y, dz);
}

/** Whether `rx` lies in the jammer's area of effect (radius and/or region; unbounded when neither is set). */
export function jammerCovers(jammer: Jammer, rx: Point): boolean {
  if (jammer.radiusM !== undefined && dist(jammer.position, rx) > requireNonNegative(jammer.radiusM, 'radiusM'))
    return false;
  if (jammer.region !== undefined) {
    const [x0, y0, x1, y1] = jammer.region;
    if (rx.x < x0 || rx.x > x1 || rx.y < y0 || rx.y > y1) return false;
  }
  return true;
}

/**
 * Jamming power at a receiver: I_J = P_J·g(d) when the jammer covers the receiver and shares its channel, else 0.
 * `gainAt(d)` maps distance (m, > 0) to linear gain; d = 0 is rejected as undefined.
 */
export function jammingPower(
  jammer: Jammer,
  rx: Point,
  gainAt: (distanceM: number) => number,
  rxChannel?: number,
): number {
  requireNonNegative(jammer.powerW, 'jammer.powerW');
  requireFinite(rx.x, 'rx.x');
  requireFinite(rx.y, 'rx.y');
  if (jammer.channel !== undefined && rxChannel !== undefined && jammer.channel !== rxChannel) return 0;
  if (!jammerCovers(jammer, rx)) return 0;
  const d = requirePositive(dist(jammer.position, rx), 'jammer distance');
  const g = gainAt(d);
  if (!(g >= 0) || !Number.isFinite(g)) {
    throw new TwinforgeError('PHYSICS_INVALID_INPUT', `gainAt(${d}) must return a finite gain >= 0, got ${g}`);
  }
  return jammer.powerW * g;
}

/**
 * Outage (packet loss) probability under Rayleigh fading: P(γ < γ_th) = 1 - exp(-γ_th / γ̄), where γ̄ is the mean
 * SINR (jamming included). Source: Goldsmith §4.2.3. Raising jamming lowers γ̄ and raises the loss.
 */
export function rayleighOutageProbability(meanSinr: number, thresholdSinr: number): number {
  requireNonNegative(meanSinr, 'meanSinr');
  requireNonNegative(thresholdSinr, 'thresholdSinr');
  if (meanSinr === 0) return thresholdSinr > 0 ? 1 : 0;
  return 1 - Math.exp(-thresholdSinr / meanSinr);
}
