import type { Rng } from '@twinforge/core';
import { Dense, type Module, type NamedVariable, tf } from '@twinforge/tensor';
import { silu } from './silu.js';
import { sinusoidalTable } from './time-embedding.js';

/**
 * The conditioning vector of every denoiser block: a sinusoidal timestep embedding concatenated with the one-hot
 * scenario condition, through a two-layer SiLU MLP (DDPM's time MLP with the condition folded in, as in
 * classifier-free guidance's class embedding).
 */
export class EmbeddingNet implements Module {
  readonly #table: tf.Tensor2D;
  readonly l1: Dense;
  readonly l2: Dense;

  constructor(
    readonly name: string,
    timesteps: number,
    timeDim: number,
    condDim: number,
    readonly outDim: number,
    rng: Rng,
  ) {
    this.#table = tf.tensor2d(sinusoidalTable(timesteps, timeDim), [timesteps, timeDim]);
    this.l1 = new Dense(`${name}/l1`, timeDim + condDim, outDim, 'uniform-fan-in', rng.split('l1'));
    this.l2 = new Dense(`${name}/l2`, outDim, outDim, 'uniform-fan-in', rng.split('l2'));
  }

  /** t: int32 [B] timestep indices; cond: [B, condDim] one-hot rows → [B, outDim]. */
  apply(t: tf.Tensor1D, cond: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.concat([tf.gather(this.#table, t), cond], 1) as tf.Tensor2D;
      return silu(this.l2.apply(silu(this.l1.apply(h, 'linear')), 'linear'));
    });
  }

  parameters(): readonly NamedVariable[] {
    return [...this.l1.parameters(), ...this.l2.parameters()];
  }

  dispose(): void {
    this.#table.dispose();
    this.l1.dispose();
    this.l2.dispose();
  }
}
