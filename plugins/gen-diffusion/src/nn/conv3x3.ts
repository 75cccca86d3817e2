import type { Rng } from '@twinforge/core';
import { type InitSpec, initLayer, type Module, makeVariable, type NamedVariable, tf } from '@twinforge/tensor';

/**
 * y = conv2d(x, W, 'same') + b with W [3, 3, Cin, Cout], NHWC, and a hand-written gradient that only uses kernels
 * the tfjs-wasm backend has and runs fast:
 *   dx = conv2d(dy, W') with W'[a, b, co, ci] = W[2−a, 2−b, ci, co]   (the transposed convolution of a stride-1
 *        'same' 3×3 conv is a plain one with the flipped kernel; wasm's Conv2DBackpropInput is a naive loop, ~8×
 *        slower than XNNPACK's conv2d here)
 *   dW = conv2d(pad(x)ᵀ [Cin, H+2, W+2, B], dyᵀ [H, W, B, Cout]) → [Cin, 3, 3, Cout] → [3, 3, Cin, Cout]
 *   db = 1ᵀ·dy (a product, like @twinforge/tensor's affine)
 * Why: wasm has no Conv2DBackpropFilter, so tf.conv2d cannot be trained there; an im2col of nine tf.slice views
 * works but wasm's Slice copies its whole input per view in JavaScript (seconds per U-Net step). The dW line is the
 * classic "batch as channels" identity: dW[a, b, ci, co] = Σ_{n,h,w} xpad[n, h+a, w+b, ci]·dy[n, h, w, co], which is
 * a valid convolution of the padded input (channels as batch, batch as channels) with dy as the filter.
 */
const convWithGrad = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D;
      const [n, h, wd] = xs.shape;
      const cout = g.shape[3];
      const flipped = tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const dx = tf.conv2d(g, flipped, 1, 'same');
      const xt = tf.transpose(
        tf.pad(xs, [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
        [3, 1, 2, 0],
      ) as tf.Tensor4D;
      const gt = tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
      const dw = tf.transpose(tf.conv2d(xt, gt, 1, 'valid'), [1, 2, 0, 3]);
      const db = tf.reshape(tf.matMul(tf.ones([1, n * h * wd]), tf.reshape(g, [n * h * wd, cout])), [cout]);
      return [dx, dw, db];
    },
  };
};

const conv3x3 = tf.customGrad(convWithGrad as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor1D,
) => tf.Tensor4D;

export class Conv3x3 implements Module {
  readonly kernel: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly name: string,
    readonly inChannels: number,
    readonly outChannels: number,
    init: InitSpec,
    rng: Rng,
  ) {
    // fan-in 9·Cin; rows of the [9·Cin, Cout] init are (dy, dx, cin), i.e. the row-major [3, 3, Cin, Cout] layout.
    const w = initLayer(init, 9 * inChannels, outChannels, rng);
    this.kernel = makeVariable(tf.tensor4d(w.kernel, [3, 3, inChannels, outChannels]));
    this.bias = makeVariable(tf.tensor1d(w.bias));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return conv3x3(x, this.kernel, this.bias);
  }

  parameters(): readonly NamedVariable[] {
    return [
      { name: `${this.name}/kernel`, variable: this.kernel },
      { name: `${this.name}/bias`, variable: this.bias },
    ];
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
