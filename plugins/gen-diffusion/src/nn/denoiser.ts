import type { Module, tf } from '@twinforge/tensor';

/** A noise-prediction network ε_θ(x_t, t, c) over flat maps. */
export interface Denoiser extends Module {
  readonly kind: 'mlp' | 'unet';
  /**
   * Whether the network takes a second map, its own previous x₀ estimate (self-conditioning, Chen et al. 2022,
   * "Analog Bits"); without one it receives zeros, as in the half of the training batch that has none.
   */
  readonly selfConditioned: boolean;
  /**
   * x: [B, H·W] noisy maps in [−1, 1] scale; t: int32 [B]; cond: [B, condDim]; selfCond: [B, H·W] the previous x₀
   * estimate (ignored unless `selfConditioned`) → predicted noise [B, H·W].
   */
  apply(x: tf.Tensor2D, t: tf.Tensor1D, cond: tf.Tensor2D, selfCond?: tf.Tensor2D): tf.Tensor2D;
}
