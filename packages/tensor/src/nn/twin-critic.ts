import { type Rng, TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import * as tf from '../tf.js';
import { ACTIVATIONS } from './activations.js';
import { initSpecSchema } from './initializers.js';
import { Mlp } from './mlp.js';
import type { Module, NamedVariable } from './module.js';

export const twinCriticConfigSchema = z.strictObject({
  obsSize: z.number().int().positive(),
  actionSize: z.number().int().positive(),
  /** Hidden widths of each Q network (TD3: [256, 256]). */
  hiddenSizes: z.array(z.number().int().positive()).min(1).default([256, 256]),
  activation: z.enum(ACTIVATIONS).default('relu'),
  init: initSpecSchema.default('uniform-fan-in'),
  outputInit: initSpecSchema.optional(),
  name: z.string().min(1).default('critic'),
});
export type TwinCriticConfig = z.input<typeof twinCriticConfigSchema>;

/**
 * Two independent Q networks over concat(observation, action) → [B, 1] each, as in TD3 (Fujimoto et al. 2018)
 * and SAC: clipped double-Q takes min(Q1, Q2) for targets, and TD3's actor follows Q1 only. The two nets draw
 * their weights from separate streams (`q1`, `q2`) of the given Rng.
 */
export class TwinCritic implements Module {
  readonly q1Net: Mlp;
  readonly q2Net: Mlp;
  readonly obsSize: number;
  readonly actionSize: number;

  constructor(config: TwinCriticConfig, rng: Rng) {
    const c = validateConfig(twinCriticConfigSchema, config, 'twin critic config');
    this.obsSize = c.obsSize;
    this.actionSize = c.actionSize;
    const base = {
      sizes: [c.obsSize + c.actionSize, ...c.hiddenSizes, 1],
      activation: c.activation,
      init: c.init,
      ...(c.outputInit === undefined ? {} : { outputInit: c.outputInit }),
    };
    this.q1Net = new Mlp({ ...base, name: `${c.name}/q1` }, rng.split('q1'));
    this.q2Net = new Mlp({ ...base, name: `${c.name}/q2` }, rng.split('q2'));
  }

  #input(obs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor2D {
    if (obs.shape[1] !== this.obsSize || action.shape[1] !== this.actionSize || obs.shape[0] !== action.shape[0]) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `twin critic expects obs [B, ${this.obsSize}] and action [B, ${this.actionSize}], got [${obs.shape.join(
          ', ',
        )}] and [${action.shape.join(', ')}]`,
      );
    }
    return tf.concat([obs, action], 1);
  }

  /** Both Q values, each [B, 1]. */
  apply(obs: tf.Tensor2D, action: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    return tf.tidy(() => {
      const x = this.#input(obs, action);
      return [this.q1Net.apply(x), this.q2Net.apply(x)];
    });
  }

  /** Q1 only (TD3's actor loss). */
  q1(obs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.q1Net.apply(this.#input(obs, action)));
  }

  /** min(Q1, Q2), [B, 1]: the clipped double-Q target. */
  minQ(obs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [a, b] = this.apply(obs, action);
      return tf.minimum(a, b);
    });
  }

  parameters(): readonly NamedVariable[] {
    return [...this.q1Net.parameters(), ...this.q2Net.parameters()];
  }

  dispose(): void {
    this.q1Net.dispose();
    this.q2Net.dispose();
  }
}

export function createTwinCritic(config: TwinCriticConfig, rng: Rng): TwinCritic {
  return new TwinCritic(config, rng);
}
