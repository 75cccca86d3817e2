import { type Rng, TwinforgeError } from '@twinforge/core';
import type { NamedVariable, tf as TF } from '@twinforge/tensor';
import { tf } from '@twinforge/tensor';
import { Attention2d } from './attention2d.js';
import { Conv3x3 } from './conv3x3.js';
import type { Denoiser } from './denoiser.js';
import { EmbeddingNet } from './embedding-net.js';
import { pixelShuffle, pixelUnshuffle } from './pixel-shuffle.js';
import { ResBlock } from './res-block.js';
import { silu } from './silu.js';

export interface UnetDenoiserConfig {
  readonly width: number;
  readonly height: number;
  readonly timesteps: number;
  readonly condDim: number;
  /** Channels per resolution level, finest first, e.g. [32, 64, 64] for 32×32 → 16×16 → 8×8. */
  readonly channels: readonly number[];
  readonly embDim: number;
  /**
   * Pixel-unshuffle factor: the map enters as (H/p)×(W/p) cells of p² channels and leaves through a pixel shuffle
   * (the "patch size" of Hoogeboom et al. 2023's simple diffusion, of DiT/U-ViT). 2 makes a 32×32 U-Net cost what a
   * 16×16 one does.
   */
  readonly patch?: number;
  /** Heads of the self-attention block after the middle block (0 or absent: none). */
  readonly attentionHeads?: number;
  /** Also take the previous x₀ estimate as a second input channel (see Denoiser.selfConditioned). */
  readonly selfCondition?: boolean;
}

/**
 * A small U-Net (Ronneberger et al. 2015, in DDPM's form): a 3×3 stem, one residual block per level on the way down
 * (2×2 average pooling between levels), a middle block, and on the way up nearest-neighbour upsampling, concatenation
 * with the skip of the same level and a residual block; a 3×3 head back to one channel. Every block receives the
 * timestep + condition embedding. Optionally a multi-head self-attention block follows the middle block (DDPM has
 * attention at 16×16; here it sits at the coarsest level only, where it is cheap).
 */
export class UnetDenoiser implements Denoiser {
  readonly kind = 'unet' as const;
  readonly selfConditioned: boolean;
  readonly embed: EmbeddingNet;
  readonly stem: Conv3x3;
  readonly down: readonly ResBlock[];
  readonly mid: ResBlock;
  readonly attention: Attention2d | undefined;
  readonly up: readonly ResBlock[];
  readonly head: Conv3x3;

  constructor(
    readonly config: UnetDenoiserConfig,
    rng: Rng,
  ) {
    const { channels: ch, embDim, width, height } = config;
    const levels = ch.length;
    const p = config.patch ?? 1;
    const unit = p * 2 ** (levels - 1);
    if (levels < 1 || !Number.isInteger(p) || p < 1 || width % unit !== 0 || height % unit !== 0) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `a ${levels}-level U-Net with patch ${p} needs width and height divisible by ${unit}, got ${width}x${height}`,
      );
    }
    this.selfConditioned = config.selfCondition ?? false;
    this.embed = new EmbeddingNet('embed', config.timesteps, 64, config.condDim, embDim, rng.split('embed'));
    const inChannels = p * p * (this.selfConditioned ? 2 : 1);
    this.stem = new Conv3x3('stem', inChannels, ch[0] as number, 'uniform-fan-in', rng.split('stem'));
    this.down = ch.map(
      (c, i) => new ResBlock(`down${i}`, i === 0 ? c : (ch[i - 1] as number), c, embDim, rng.split(`down${i}`)),
    );
    const last = ch[levels - 1] as number;
    this.mid = new ResBlock('mid', last, last, embDim, rng.split('mid'));
    const heads = config.attentionHeads ?? 0;
    this.attention = heads > 0 ? new Attention2d('mid/attention', last, heads, rng.split('attention')) : undefined;
    // Up path, coarsest first: input = previous output (channels of the level below) + the skip of this level.
    this.up = ch
      .map((c, i) => {
        const from = i === levels - 1 ? last : (ch[i + 1] as number);
        return new ResBlock(`up${i}`, from + c, c, embDim, rng.split(`up${i}`));
      })
      .reverse();
    this.head = new Conv3x3('head', ch[0] as number, p * p, { kind: 'uniform', limit: 1e-3 }, rng.split('head'));
  }

  apply(x: TF.Tensor2D, t: TF.Tensor1D, cond: TF.Tensor2D, selfCond?: TF.Tensor2D): TF.Tensor2D {
    return tf.tidy(() => {
      const { width: w, height: h } = this.config;
      const b = x.shape[0];
      const emb = this.embed.apply(t, cond);
      const p = this.config.patch ?? 1;
      const cells = (m: TF.Tensor2D) => (p === 1 ? tf.reshape(m, [b, h, w, 1]) : pixelUnshuffle(m, h, w, p));
      const input = this.selfConditioned
        ? tf.concat([cells(x), cells(selfCond ?? (tf.zerosLike(x) as TF.Tensor2D))], 3)
        : cells(x);
      let z = this.stem.apply(input as TF.Tensor4D);
      const skips: TF.Tensor4D[] = [];
      this.down.forEach((blk, i) => {
        if (i > 0) z = tf.avgPool(z, 2, 2, 'valid') as TF.Tensor4D;
        z = blk.apply(z, emb);
        skips.push(z);
      });
      z = this.mid.apply(z, emb);
      if (this.attention) z = this.attention.apply(z);
      const levels = this.down.length;
      this.up.forEach((blk, j) => {
        const level = levels - 1 - j;
        const skip = skips[level] as TF.Tensor4D;
        if (z.shape[1] !== skip.shape[1]) z = tf.image.resizeNearestNeighbor(z, [skip.shape[1], skip.shape[2]]);
        z = blk.apply(tf.concat([z, skip], 3) as TF.Tensor4D, emb);
      });
      const out = this.head.apply(silu(z));
      return p === 1 ? (tf.reshape(out, [b, h * w]) as TF.Tensor2D) : pixelShuffle(out, h, w, p);
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      ...this.embed.parameters(),
      ...this.stem.parameters(),
      ...this.down.flatMap((d) => d.parameters()),
      ...this.mid.parameters(),
      ...(this.attention ? this.attention.parameters() : []),
      ...this.up.flatMap((u) => u.parameters()),
      ...this.head.parameters(),
    ];
  }

  dispose(): void {
    this.embed.dispose();
    this.stem.dispose();
    for (const d of this.down) d.dispose();
    this.mid.dispose();
    this.attention?.dispose();
    for (const u of this.up) u.dispose();
    this.head.dispose();
  }
}
