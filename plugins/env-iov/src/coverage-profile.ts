import { TwinforgeError } from '@twinforge/core';
import { dbToLinear, logDistancePathLossDb, shannonRate, thermalNoiseDbm } from '@twinforge/physics';

/** The physical description of one AP and the propagation parameters its rate depends on. */
export interface RadioParams {
  x_m: number;
  y_m: number;
  coverageRadius_m: number;
  bandwidth_Hz: number;
  txPower_dBm: number;
  pathLossExponent: number;
  pathLossRef_dB: number;
  refDistance_m: number;
  noiseFigure_dB: number;
}

/**
 * Downlink rate r(x) = B·log2(1 + SNR) of an AP for a vehicle at road position x (Shannon, with log-distance path
 * loss and thermal noise -174 dBm/Hz + 10·log10 B + NF, all from @twinforge/physics). bit/s.
 */
export function rateAt(p: RadioParams, x: number): number {
  const d = Math.hypot(x - p.x_m, p.y_m);
  const rxDbm =
    p.txPower_dBm - logDistancePathLossDb(Math.max(d, 1e-3), p.pathLossExponent, p.refDistance_m, p.pathLossRef_dB);
  const snr = dbToLinear(rxDbm - thermalNoiseDbm(p.bandwidth_Hz, p.noiseFigure_dB));
  return shannonRate(p.bandwidth_Hz, snr);
}

/**
 * The stretch of road an AP covers and the bits it can carry along it. Because the vehicle moves at a constant speed
 * v, the bits delivered while it drives from a to b are (1/v)·∫_a^b r(x) dx; the profile tabulates the cumulative
 * integral C(x) = ∫_lo^x r(u) du on a grid (trapezoid rule) once per AP and propagation setting, so a whole
 * transmission (wait for coverage, deliver, or leave coverage first) costs two interpolations and a binary search
 * instead of a time-stepped simulation. Linear interpolation of C is exact for the trapezoid integrand.
 */
export class CoverageProfile {
  /** Covered road interval [lo, hi]; empty (lo > hi) when the coverage disc misses the road. */
  readonly lo: number;
  readonly hi: number;
  readonly #step: number;
  readonly #cumulative: Float64Array;

  constructor(params: RadioParams, gridStep_m: number) {
    if (!(gridStep_m > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `gridStep_m must be > 0, got ${gridStep_m}`);
    const half2 = params.coverageRadius_m ** 2 - params.y_m ** 2;
    const half = half2 > 0 ? Math.sqrt(half2) : -1;
    this.lo = params.x_m - half;
    this.hi = params.x_m + half;
    const cells = half > 0 ? Math.max(1, Math.ceil((this.hi - this.lo) / gridStep_m)) : 0;
    this.#step = half > 0 ? (this.hi - this.lo) / cells : 1;
    this.#cumulative = new Float64Array(cells + 1);
    let previous = cells > 0 ? rateAt(params, this.lo) : 0;
    for (let i = 1; i <= cells; i++) {
      const r = rateAt(params, this.lo + i * this.#step);
      this.#cumulative[i] = (this.#cumulative[i - 1] as number) + 0.5 * (previous + r) * this.#step;
      previous = r;
    }
  }

  get empty(): boolean {
    return this.#cumulative.length < 2;
  }

  /** ∫_lo^x r(u) du for x in [lo, hi] (bit·m/s), clamped outside. */
  cumulative(x: number): number {
    const c = this.#cumulative;
    if (c.length < 2 || x <= this.lo) return 0;
    if (x >= this.hi) return c[c.length - 1] as number;
    const f = (x - this.lo) / this.#step;
    const i = Math.min(c.length - 2, Math.floor(f));
    return (c[i] as number) + ((c[i + 1] as number) - (c[i] as number)) * (f - i);
  }

  /** The position where the cumulative integral reaches `target` (inverse of `cumulative` on [lo, hi]). */
  positionAt(target: number): number {
    const c = this.#cumulative;
    if (c.length < 2 || target <= 0) return this.lo;
    if (target >= (c[c.length - 1] as number)) return this.hi;
    let a = 0;
    let b = c.length - 1;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if ((c[m] as number) < target) a = m;
      else b = m;
    }
    const span = (c[b] as number) - (c[a] as number);
    const frac = span > 0 ? (target - (c[a] as number)) / span : 0;
    return this.lo + (a + frac) * this.#step;
  }
}
