import { type Module, type NamedVariable, tf } from '@twinforge/tensor';
import type { NoiseSchedule } from '../diffusion/schedule.js';
import type { Denoiser } from './denoiser.js';

/**
 * ε-prediction with the input/skip/output scaling of Karras et al. (2022, "EDM" preconditioning), written for ε:
 * with x_t = a·x₀ + σ·ε (a = √ᾱ_t, σ = √(1−ᾱ_t)), data mean μ and standard deviation s, and y = x_t − a·μ,
 *   ε̂(x_t) = c_skip·y + c_out·F(c_in·y, t, c),
 *   c_in = 1/√(a²s² + σ²),  c_skip = σ/(a²s² + σ²),  c_out = a·s/√(a²s² + σ²).
 * c_skip·y is the best linear estimate of ε from x_t and c_out² its residual variance, so the network F always
 * sees unit-variance inputs and regresses a zero-mean, unit-variance target. EDM assumes zero-mean data; jamming maps
 * are mostly floor (μ ≈ −0.9 on the [−1, 1] scale, s ≈ 0.24), and without the −a·μ the "best estimate" was off by
 * σ·a·μ/(a²s² + σ²), several times ε's own scale at low noise, which F then had to cancel with large t-dependent
 * outputs (measured on the mesh maps: see the README). The model is still trained with the plain ε-MSE;
 * only the parameterisation changes. Why: a bare network must learn ε̂ ≈ x_t at high noise and a 1/σ-amplified
 * residual at low noise, which small MLPs trained for a few thousand steps do poorly (measured: samples stayed noisy).
 */
export class PreconditionedDenoiser implements Denoiser {
  readonly kind: Denoiser['kind'];
  readonly selfConditioned: boolean;
  readonly #alphaBars: tf.Tensor1D;

  constructor(
    readonly inner: Denoiser,
    schedule: NoiseSchedule,
    /** The data scale s (settable: a model measures it on its first training data). */
    public sigmaData: number,
    /** The data mean μ (settable like s; 0 is EDM's zero-mean assumption, and what checkpoints without it used). */
    public dataMean = 0,
  ) {
    this.kind = inner.kind;
    this.selfConditioned = inner.selfConditioned;
    this.#alphaBars = tf.tensor1d(Float32Array.from(schedule.alphaBars));
  }

  /**
   * `selfCond` is an x₀ estimate in the [−1, 1] scale (zeros: none yet); the network sees it standardised,
   * (x̂₀ − μ)/s, like every other input it gets.
   */
  apply(x: tf.Tensor2D, t: tf.Tensor1D, cond: tf.Tensor2D, selfCond?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const ab = tf.reshape(tf.gather(this.#alphaBars, t), [-1, 1]);
      const s2 = this.sigmaData * this.sigmaData;
      const sigma2 = tf.sub(1, ab);
      const total = tf.add(tf.mul(ab, s2), sigma2);
      const root = tf.sqrt(total);
      const cIn = tf.div(1, root);
      const cSkip = tf.div(tf.sqrt(sigma2), total);
      const a = tf.sqrt(ab);
      const cOut = tf.div(tf.mul(a, this.sigmaData), root);
      const y = this.dataMean === 0 ? x : tf.sub(x, tf.mul(a, this.dataMean));
      // "No estimate yet" is zeros in the [−1, 1] scale (what the trainer's masked rows hold), standardised alike.
      const sc = this.selfConditioned
        ? (tf.div(tf.sub(selfCond ?? tf.zerosLike(x), this.dataMean), this.sigmaData) as tf.Tensor2D)
        : undefined;
      const f = this.inner.apply(tf.mul(y, cIn) as tf.Tensor2D, t, cond, sc);
      return tf.add(tf.mul(y, cSkip), tf.mul(f, cOut)) as tf.Tensor2D;
    });
  }

  parameters(): readonly NamedVariable[] {
    return this.inner.parameters();
  }

  dispose(): void {
    this.#alphaBars.dispose();
    (this.inner as Module).dispose();
  }
}
