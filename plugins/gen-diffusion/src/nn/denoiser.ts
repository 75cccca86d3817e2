import type { Module, tf } from '@twinforge/tensor';

/** A noise-prediction network ε_θ(x_t, t, c) over flat maps. */
export interface Denoiser extends Module {
  readonly kind: 'mlp' | 'unet';
  /** x: [B, H·W] noisy maps in [−1, 1] scale; t: int32 [B]; cond: [B, condDim] → predicted noise [B, H·W]. */
  apply(x: tf.Tensor2D, t: tf.Tensor1D, cond: tf.Tensor2D): tf.Tensor2D;
}
