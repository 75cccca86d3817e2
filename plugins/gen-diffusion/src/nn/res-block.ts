import type { Rng } from '@twinforge/core';
import { Dense, type Module, type NamedVariable, tf } from '@twinforge/tensor';
import { Conv3x3 } from './conv3x3.js';
import { silu } from './silu.js';

/**
 * DDPM's residual block without normalisation: h = conv(SiLU(x)) + W·emb (per channel), out = x' + conv(SiLU(h)),
 * with a 1×1 projection x' of x when the channel count changes (DDPM's "nin_shortcut"). The second conv starts near zero, so a fresh block is
 * (nearly) the identity. Group norm is left out: these nets are 3 levels deep and train for a few thousand steps, and
 * on the wasm backend every extra kernel costs.
 */
export class ResBlock implements Module {
  readonly conv1: Conv3x3;
  readonly emb: Dense;
  readonly conv2: Conv3x3;
  readonly skip: Dense | undefined;

  constructor(name: string, inC: number, outC: number, embDim: number, rng: Rng) {
    this.conv1 = new Conv3x3(`${name}/conv1`, inC, outC, 'uniform-fan-in', rng.split('conv1'));
    this.emb = new Dense(`${name}/emb`, embDim, outC, 'uniform-fan-in', rng.split('emb'));
    this.conv2 = new Conv3x3(`${name}/conv2`, outC, outC, { kind: 'uniform', limit: 1e-3 }, rng.split('conv2'));
    this.skip = inC === outC ? undefined : new Dense(`${name}/skip`, inC, outC, 'uniform-fan-in', rng.split('skip'));
  }

  apply(x: tf.Tensor4D, emb: tf.Tensor2D): tf.Tensor4D {
    return tf.tidy(() => {
      const [b, hh, ww, c] = x.shape;
      const out = this.conv1.outChannels;
      const e = tf.reshape(this.emb.apply(emb, 'linear'), [b, 1, 1, out]);
      const h = tf.add(this.conv1.apply(silu(x)), e) as tf.Tensor4D;
      const base = this.skip
        ? tf.reshape(this.skip.apply(tf.reshape(x, [b * hh * ww, c]) as tf.Tensor2D, 'linear'), [b, hh, ww, out])
        : x;
      return tf.add(base, this.conv2.apply(silu(h))) as tf.Tensor4D;
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      ...this.conv1.parameters(),
      ...this.emb.parameters(),
      ...this.conv2.parameters(),
      ...(this.skip ? this.skip.parameters() : []),
    ];
  }

  dispose(): void {
    this.conv1.dispose();
    this.emb.dispose();
    this.conv2.dispose();
    this.skip?.dispose();
  }
}
