import { type Rng, TwinforgeError } from '@twinforge/core';

// Lanczos approximation (g = 7, n = 9): |relative error| < 1e-13 for real arguments > 0.5.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** The gamma function Γ(x) for real x (reflection below 0.5); needed by Mantegna's σ_u. */
export function gammaFn(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gammaFn(1 - x));
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

/**
 * Mantegna's σ_u for a Lévy-stable step of index β ∈ (0, 2]:
 * σ_u = [Γ(1+β)·sin(πβ/2) / (Γ((1+β)/2)·β·2^((β−1)/2))]^(1/β).
 */
export function mantegnaSigma(beta: number): number {
  if (!(beta > 0 && beta <= 2)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `Lévy index beta must be in (0, 2], got ${beta}`);
  }
  const num = gammaFn(1 + beta) * Math.sin((Math.PI * beta) / 2);
  const den = gammaFn((1 + beta) / 2) * beta * 2 ** ((beta - 1) / 2);
  return (num / den) ** (1 / beta);
}

const TWO_PI = 2 * Math.PI;
const INV_2_32 = 2 ** -32;

/**
 * Standard normal draws for hot search loops, from core's Rng: Box-Muller on two 32-bit uniforms, keeping the second
 * value of each pair. About 4× cheaper than Rng.normal (which spends two 53-bit uniforms per value so that its state
 * alone describes it); 32 bits of resolution are plenty for search moves. The spare makes the stream depend on this
 * object's history as well as on the Rng, so use one per search.
 */
export class FastNormal {
  #spare = 0;
  #hasSpare = false;

  next(rng: Rng): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    const u1 = (rng.nextUint32() + 0.5) * INV_2_32; // (0, 1): the log never sees 0
    const u2 = rng.nextUint32() * INV_2_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spare = r * Math.sin(TWO_PI * u2);
    this.#hasSpare = true;
    return r * Math.cos(TWO_PI * u2);
  }
}

/** A uniform in [0, 1) from one 32-bit draw: the cheap uniform of search loops (PSO's r1, r2, DE's crossover). */
export function fastUniform(rng: Rng): number {
  return rng.nextUint32() * INV_2_32;
}

/**
 * Lévy flight steps by Mantegna's algorithm: d = u / |v|^(1/β) with u ~ N(0, σ_u²), v ~ N(0, 1). The tail of |d|
 * falls like |d|^(−1−β): a small β gives long jumps (global search), a large β short ones (local search), which is
 * how DIRS tunes its Lévy flight search (seed 004 §IV-D). Normals come from FastNormal.
 */
export class LevySteps {
  readonly beta: number;
  readonly sigma: number;
  readonly #invBeta: number;
  readonly #normal = new FastNormal();

  constructor(beta: number) {
    this.beta = beta;
    this.sigma = mantegnaSigma(beta);
    this.#invBeta = 1 / beta;
  }

  /** One signed step. */
  next(rng: Rng): number {
    const u = this.sigma * this.#normal.next(rng);
    const v = Math.abs(this.#normal.next(rng)); // never exactly 0: u1 > 0 and cos/sin of a 32-bit grid point
    return u / (v === 0 ? Number.MIN_VALUE : v) ** this.#invBeta;
  }

  /** Fills `out` with signed steps; allocates nothing. */
  fill<A extends Float64Array | Float32Array>(rng: Rng, out: A): A {
    for (let i = 0; i < out.length; i++) out[i] = this.next(rng);
    return out;
  }
}
