import { type Module, type NamedVariable, tf } from '@twinforge/tensor';
import type { NoiseSchedule } from '../diffusion/schedule.js';
import type { Denoiser } from './denoiser.js';

/**
 * ε-prediction with the input/skip/output scaling of Karras et al. (2022, "EDM" preconditioning), written for ε:
 * with x_t = a·x₀ + σ·ε (a = √ᾱ_t, σ = √(1−ᾱ_t)) and data standard deviation s,
 *   ε̂(x_t) = c_skip·x_t + c_out·F(c_in·x_t, t, c),
 *   c_in = 1/√(a²s² + σ²),  c_skip = σ/(a²s² + σ²),  c_out = a·s/√(a²s² + σ²).
 * c_skip·x_t is the best linear estimate of ε from x_t and c_out² its residual variance, so the network F always
 * sees unit-variance inputs and regresses a unit-variance target. The model is still trained with the plain ε-MSE;
 * only the parameterisation changes. Why: a bare network must learn ε̂ ≈ x_t at high noise and a 1/σ-amplified
 * residual at low noise, which small MLPs trained for a few thousand steps do poorly (measured: samples stayed noisy).
 */
export class PreconditionedDenoiser implements Denoiser {
  readonly kind: Denoiser['kind'];
  readonly #alphaBars: tf.Tensor1D;

  constructor(
    readonly inner: Denoiser,
    schedule: NoiseSchedule,
    /** The data scale s (settable: a model measures it on its first training data). */
    public sigmaData: number,
  ) {
    this.kind = inner.kind;
    this.#alphaBars = tf.tensor1d(Float32Array.from(schedule.alphaBars));
  }

  apply(x: tf.Tensor2D, t: tf.Tensor1D, cond: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const ab = tf.reshape(tf.gather(this.#alphaBars, t), [-1, 1]);
      const s2 = this.sigmaData * this.sigmaData;
      const sigma2 = tf.sub(1, ab);
      const total = tf.add(tf.mul(ab, s2), sigma2);
      const root = tf.sqrt(total);
      const cIn = tf.div(1, root);
      const cSkip = tf.div(tf.sqrt(sigma2), total);
      const cOut = tf.div(tf.mul(tf.sqrt(ab), this.sigmaData), root);
      const f = this.inner.apply(tf.mul(x, cIn) as tf.Tensor2D, t, cond);
      return tf.add(tf.mul(x, cSkip), tf.mul(f, cOut)) as tf.Tensor2D;
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
