import { tf } from '@twinforge/tensor';

/** [B, H·W] row-major maps → [B, H/p, W/p, p²]: channel (i·p + j) of cell (r, c) is pixel (r·p + i, c·p + j). */
export function pixelUnshuffle(x: tf.Tensor2D, h: number, w: number, p: number): tf.Tensor4D {
  const b = x.shape[0];
  return tf.tidy(
    () =>
      tf.reshape(tf.transpose(tf.reshape(x, [b, h / p, p, w / p, p]), [0, 1, 3, 2, 4]), [
        b,
        h / p,
        w / p,
        p * p,
      ]) as tf.Tensor4D,
  );
}

/** The inverse of pixelUnshuffle: [B, H/p, W/p, p²] → [B, H·W]. */
export function pixelShuffle(x: tf.Tensor4D, h: number, w: number, p: number): tf.Tensor2D {
  const b = x.shape[0];
  return tf.tidy(
    () => tf.reshape(tf.transpose(tf.reshape(x, [b, h / p, w / p, p, p]), [0, 1, 3, 2, 4]), [b, h * w]) as tf.Tensor2D,
  );
}
