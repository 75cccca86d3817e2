import { type Rng, TwinforgeError } from '@twinforge/core';

const SQRT_HALF = Math.SQRT1_2;

/**
 * Time-varying Rayleigh small-scale fading l_ij of Eq. 3, one value per link and slot. Each link carries a complex
 * Gaussian g ~ CN(0, 1) that evolves as a first-order Gauss-Markov process g_t = ρ·g_{t−1} + √(1−ρ²)·w_t, and
 * l = |g|², so every slot's l is Exp(1) (unit-mean Rayleigh power) whatever ρ. ρ = 0 (default) draws independent
 * block fading per slot, the paper's "time-varying input values" h; ρ > 0 correlates consecutive slots (Jakes'
 * J0(2π·f_D·T) is the usual choice of ρ).
 */
export class RayleighFading {
  readonly size: number;
  readonly rho: number;
  readonly power: Float64Array;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  constructor(size: number, rho = 0) {
    if (!Number.isInteger(size) || size < 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `fading size must be an integer >= 0, got ${size}`);
    }
    if (!(rho >= 0 && rho < 1)) throw new TwinforgeError('INVALID_ARGUMENT', `rho must be in [0, 1), got ${rho}`);
    this.size = size;
    this.rho = rho;
    this.power = new Float64Array(size);
    this.#re = new Float64Array(size);
    this.#im = new Float64Array(size);
  }

  /** A fresh stationary draw (start of an episode). */
  reset(rng: Rng): Float64Array {
    for (let k = 0; k < this.size; k++) {
      this.#re[k] = rng.normal(0, SQRT_HALF);
      this.#im[k] = rng.normal(0, SQRT_HALF);
    }
    return this.#square();
  }

  /** The next slot. */
  advance(rng: Rng): Float64Array {
    const rho = this.rho;
    const s = Math.sqrt(1 - rho * rho) * SQRT_HALF;
    for (let k = 0; k < this.size; k++) {
      this.#re[k] = rho * (this.#re[k] as number) + rng.normal(0, s);
      this.#im[k] = rho * (this.#im[k] as number) + rng.normal(0, s);
    }
    return this.#square();
  }

  #square(): Float64Array {
    for (let k = 0; k < this.size; k++) this.power[k] = (this.#re[k] as number) ** 2 + (this.#im[k] as number) ** 2;
    return this.power;
  }
}
