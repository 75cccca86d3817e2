import type { Rng } from '@twinforge/core';
import * as tf from '../tf.js';
import { type Activation, activate } from './activations.js';
import { affine } from './affine.js';
import { makeVariable } from './dense.js';
import type { LayerApplyOptions, NoisyLayer } from './layer.js';
import type { NamedVariable } from './module.js';

/** Fortunato et al. 2018's σ0 for factorised noise. */
export const DEFAULT_NOISY_SIGMA0 = 0.5;

/**
 * NoisyLinear with factorised Gaussian noise (Fortunato et al. 2018, "Noisy Networks for Exploration", §3.2):
 *   y = (μ_w + σ_w ⊙ ε_w)ᵀx + μ_b + σ_b ⊙ ε_b,  ε_w[i][j] = f(ε_i) f(ε_j),  ε_b[j] = f(ε_j),  f(x) = sgn(x)√|x|
 * with ε_i (p inputs) and ε_j (q outputs) standard normal, μ ~ U(-1/√p, 1/√p) and σ = σ0/√p.
 *
 * Noise is drawn in JavaScript from the seeded Rng handed to resetNoise (p + q normals), so the same seed gives the
 * same noise on every backend, and it stays fixed until resampled: the caller decides when (per step, per batch).
 */
export class NoisyLinear implements NoisyLayer {
  readonly weightMu: tf.Variable<tf.Rank.R2>;
  readonly weightSigma: tf.Variable<tf.Rank.R2>;
  readonly biasMu: tf.Variable<tf.Rank.R1>;
  readonly biasSigma: tf.Variable<tf.Rank.R1>;
  #epsIn: tf.Tensor2D;
  #epsOut: tf.Tensor2D;
  /** f(ε_in) and f(ε_out) of the current sample, kept on the host for inspection and tests. */
  #noise: { readonly epsIn: Float32Array; readonly epsOut: Float32Array };

  constructor(
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    rng: Rng,
    sigma0 = DEFAULT_NOISY_SIGMA0,
  ) {
    const bound = 1 / Math.sqrt(inSize);
    const sigma = sigma0 / Math.sqrt(inSize);
    const init = rng.split('init');
    this.weightMu = makeVariable(
      tf.tensor2d(init.fillUniform(new Float32Array(inSize * outSize), -bound, bound), [inSize, outSize]),
    );
    this.biasMu = makeVariable(tf.tensor1d(init.fillUniform(new Float32Array(outSize), -bound, bound)));
    this.weightSigma = makeVariable(tf.fill([inSize, outSize], sigma) as tf.Tensor2D);
    this.biasSigma = makeVariable(tf.fill([outSize], sigma) as tf.Tensor1D);
    this.#noise = sampleNoise(inSize, outSize, rng.split('noise'));
    this.#epsIn = tf.tensor2d(this.#noise.epsIn, [inSize, 1]);
    this.#epsOut = tf.tensor2d(this.#noise.epsOut, [1, outSize]);
  }

  /** Draws new factorised noise: p + q standard normals from `rng`. */
  resetNoise(rng: Rng): void {
    this.#noise = sampleNoise(this.inSize, this.outSize, rng);
    this.#epsIn.dispose();
    this.#epsOut.dispose();
    this.#epsIn = tf.tensor2d(this.#noise.epsIn, [this.inSize, 1]);
    this.#epsOut = tf.tensor2d(this.#noise.epsOut, [1, this.outSize]);
  }

  /** The current f(ε_in), f(ε_out). */
  get noise(): { readonly epsIn: Float32Array; readonly epsOut: Float32Array } {
    return this.#noise;
  }

  apply(x: tf.Tensor2D, activation: Activation, options: LayerApplyOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      let w: tf.Tensor2D = this.weightMu;
      let b: tf.Tensor1D = this.biasMu;
      if (options.noise !== false) {
        // ε_w = f(ε_in) ⊗ f(ε_out): a [p,1]·[1,q] outer product, never materialised per sample.
        w = tf.add(this.weightMu, tf.mul(this.weightSigma, tf.matMul(this.#epsIn, this.#epsOut)));
        b = tf.add(this.biasMu, tf.mul(this.biasSigma, tf.reshape(this.#epsOut, [this.outSize])));
      }
      return activate(affine(x, w, b), activation, options.leakyReluAlpha);
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      { name: `${this.name}/weight_mu`, variable: this.weightMu },
      { name: `${this.name}/weight_sigma`, variable: this.weightSigma },
      { name: `${this.name}/bias_mu`, variable: this.biasMu },
      { name: `${this.name}/bias_sigma`, variable: this.biasSigma },
    ];
  }

  dispose(): void {
    for (const p of this.parameters()) p.variable.dispose();
    this.#epsIn.dispose();
    this.#epsOut.dispose();
  }
}

/** f(x) = sgn(x)·√|x| applied to p + q standard normals. */
function sampleNoise(p: number, q: number, rng: Rng): { epsIn: Float32Array; epsOut: Float32Array } {
  const f = (x: number) => Math.sign(x) * Math.sqrt(Math.abs(x));
  const epsIn = new Float32Array(p);
  const epsOut = new Float32Array(q);
  for (let i = 0; i < p; i++) epsIn[i] = f(rng.normal());
  for (let j = 0; j < q; j++) epsOut[j] = f(rng.normal());
  return { epsIn, epsOut };
}
