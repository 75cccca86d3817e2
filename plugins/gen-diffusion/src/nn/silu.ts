import { tf } from '@twinforge/tensor';

/** SiLU / swish, x·σ(x): the activation of DDPM's and most diffusion networks. */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x)) as T;
}
