import { TwinforgeError } from '@twinforge/core';
import * as tf from '../tf.js';

/** √(Σ‖g‖²) over all tensors, as a scalar tensor the caller owns. */
export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (tensors.length === 0) return tf.scalar(0);
    const squares = tensors.map((t) => tf.sum(tf.square(t)));
    return tf.sqrt(squares.length === 1 ? (squares[0] as tf.Scalar) : tf.addN(squares)) as tf.Scalar;
  });
}

/**
 * Scales all tensors by maxNorm / (norm + 1e-6) when their global norm exceeds maxNorm, like
 * torch.nn.utils.clip_grad_norm_ (the direction is kept; the result's global norm is at most maxNorm). Returns new
 * tensors the caller owns, and the norm before clipping.
 */
export function clipByGlobalNorm(
  tensors: readonly tf.Tensor[],
  maxNorm: number,
): { clipped: tf.Tensor[]; norm: number } {
  if (!(maxNorm > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `maxNorm must be > 0, got ${maxNorm}`);
  const normTensor = globalNorm(tensors);
  const norm = (normTensor.dataSync() as Float32Array)[0] as number;
  normTensor.dispose();
  if (!Number.isFinite(norm)) {
    throw new TwinforgeError('NUMERIC_INVALID', `cannot clip: global norm is ${norm}`, { details: { norm } });
  }
  const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  return { clipped: tensors.map((t) => tf.tidy(() => (scale === 1 ? tf.clone(t) : tf.mul(t, scale)))), norm };
}
