import { tf } from '@twinforge/tensor';
import type { Denoiser } from '../nn/denoiser.js';

/**
 * The self-conditioning input of a training or evaluation pass: a first, gradient-free pass of `model` without an
 * estimate gives x̂₀ = (x_t − √(1−ᾱ_t)·ε̂)/√ᾱ_t, clipped to [−1, 1] as in sampling, then zeroed on the rows whose
 * `use` is 0 (those train the "no estimate yet" case of the first sampling step).
 */
export function selfConditionEstimate(
  model: Denoiser,
  xs: tf.Tensor2D,
  ts: tf.Tensor1D,
  cs: tf.Tensor2D,
  sqrtAb: Float32Array,
  sqrt1mAb: Float32Array,
  use: Float32Array,
): tf.Tensor2D {
  return tf.tidy(() => {
    const eps = model.apply(xs, ts, cs);
    const b = use.length;
    const x0 = tf.div(tf.sub(xs, tf.mul(eps, tf.tensor2d(sqrt1mAb, [b, 1]))), tf.tensor2d(sqrtAb, [b, 1]));
    return tf.mul(tf.clipByValue(x0, -1, 1), tf.tensor2d(use, [b, 1])) as tf.Tensor2D;
  });
}
