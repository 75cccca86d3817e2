import * as tf from '../tf.js';

/**
 * y = x·W + b for x [B, in], W [in, out], b [out], with a hand-written gradient that only ever multiplies
 * untransposed matrices.
 *
 * Why: tfjs's registered MatMul gradient computes dW = matMul(x, dy, transposeA=true) and
 * dx = matMul(dy, W, transposeB=true). The wasm backend sends every matMul with a transpose flag to a naive
 * blocked C++ loop instead of XNNPACK (tfjs-backend-wasm batch_mat_mul_impl.cc), which made those two products
 * 25-60x slower than the forward one and dominated the train step. Transposing explicitly (a cheap copy) keeps all
 * three products on XNNPACK. On the cpu backend the explicit form is no slower.
 */
const affineWithGrad = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b });
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dz = dy as tf.Tensor2D;
      // The bias gradient as 1ᵀ·dz: also an XNNPACK product, ~4x faster on wasm than a sum over axis 0.
      const db = tf.reshape(tf.matMul(tf.ones([1, dz.shape[0]]), dz), [dz.shape[1]]);
      return [tf.matMul(dz, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dz), db];
    },
  };
};

export const affine = tf.customGrad(affineWithGrad as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
) => tf.Tensor2D;
