import { type Rng, TwinforgeError } from '@twinforge/core';
import { Dense, type Module, type NamedVariable, tf } from '@twinforge/tensor';

/**
 * Residual multi-head self-attention over the cells of a feature map (DDPM's attention block): out = x + W_o·Attn(
 * norm(x)), with each cell a token. norm is a per-token standardisation without affine parameters (the U-Net has no
 * normalisation layers otherwise; attention logits need bounded inputs). W_o starts near zero, so a fresh block is
 * the identity.
 *
 * Why: the U-Net's convolutions mix information only between neighbouring cells, so the early (high-noise) steps
 * that decide how many jammer disks a map gets and where they go have no direct view of the rest of the map; at the
 * 4×4 bottleneck the 16 tokens cost next to nothing. The products use plain tf.matMul: at 16 tokens tfjs-wasm's
 * naive BatchMatMul gradient is cheaper than the extra transposes of an XNNPACK-friendly one.
 */
export class Attention2d implements Module {
  readonly q: Dense;
  readonly k: Dense;
  readonly v: Dense;
  readonly out: Dense;

  constructor(
    name: string,
    readonly channels: number,
    readonly heads: number,
    rng: Rng,
  ) {
    if (heads < 1 || channels % heads !== 0) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${channels} channels do not split into ${heads} attention heads`);
    }
    this.q = new Dense(`${name}/q`, channels, channels, 'glorot-uniform', rng.split('q'));
    this.k = new Dense(`${name}/k`, channels, channels, 'glorot-uniform', rng.split('k'));
    this.v = new Dense(`${name}/v`, channels, channels, 'glorot-uniform', rng.split('v'));
    this.out = new Dense(`${name}/out`, channels, channels, { kind: 'uniform', limit: 1e-3 }, rng.split('out'));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, h, w, c] = x.shape;
      const L = h * w;
      const H = this.heads;
      const dh = c / H;
      const rows = tf.reshape(x, [b * L, c]) as tf.Tensor2D;
      const { mean, variance } = tf.moments(rows, 1, true);
      const n = tf.div(tf.sub(rows, mean), tf.sqrt(tf.add(variance, 1e-5))) as tf.Tensor2D;
      // [B·L, c] → [B, L, H, dh] → [B, H, L, dh] → [B·H, L, dh]
      const split = (p: Dense) =>
        tf.reshape(tf.transpose(tf.reshape(p.apply(n, 'linear'), [b, L, H, dh]), [0, 2, 1, 3]), [b * H, L, dh]);
      const q = split(this.q) as tf.Tensor3D;
      const k = split(this.k) as tf.Tensor3D;
      const v = split(this.v) as tf.Tensor3D;
      const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), -1) as tf.Tensor3D;
      const ctx = tf.matMul(att, v); // [B·H, L, dh]
      const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [b, H, L, dh]), [0, 2, 1, 3]), [b * L, c]) as tf.Tensor2D;
      return tf.add(x, tf.reshape(this.out.apply(merged, 'linear'), [b, h, w, c])) as tf.Tensor4D;
    });
  }

  parameters(): readonly NamedVariable[] {
    return [...this.q.parameters(), ...this.k.parameters(), ...this.v.parameters(), ...this.out.parameters()];
  }

  dispose(): void {
    for (const m of [this.q, this.k, this.v, this.out]) m.dispose();
  }
}
