import { type Rng, TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import { requireBackend } from '../backend/init-backend.js';
import * as tf from '../tf.js';
import { ACTIVATIONS, type Activation, DEFAULT_LEAKY_RELU_ALPHA } from './activations.js';
import { Dense } from './dense.js';
import { initSpecSchema } from './initializers.js';
import { isNoisyLayer, type Layer } from './layer.js';
import type { Module, NamedVariable } from './module.js';
import { DEFAULT_NOISY_SIGMA0, NoisyLinear } from './noisy-linear.js';

export const mlpConfigSchema = z.strictObject({
  /** Layer widths including input and output, e.g. [4, 64, 64, 2]. */
  sizes: z.array(z.number().int().positive()).min(2),
  /** Hidden-layer activation. */
  activation: z.enum(ACTIVATIONS).default('relu'),
  /** Output activation: linear for Q-values, tanh for bounded actions, softmax for policies. */
  outputActivation: z.enum(ACTIVATIONS).default('linear'),
  /** Hidden-layer initialiser (default: PyTorch's nn.Linear default, as in the TD3 reference code). */
  init: initSpecSchema.default('uniform-fan-in'),
  /** Output-layer initialiser (default: same as `init`; DDPG uses { kind: 'uniform', limit: 3e-3 }). */
  outputInit: initSpecSchema.optional(),
  leakyReluAlpha: z.number().positive().default(DEFAULT_LEAKY_RELU_ALPHA),
  /** Replace every layer by a factorised NoisyLinear (NoisyNet); σ0 defaults to 0.5. */
  noisy: z.union([z.boolean(), z.strictObject({ sigma0: z.number().positive() })]).default(false),
  /** Prefix of parameter names in checkpoints. */
  name: z.string().min(1).default('mlp'),
});
export type MlpConfig = z.input<typeof mlpConfigSchema>;
export type ResolvedMlpConfig = z.output<typeof mlpConfigSchema>;

export interface MlpApplyOptions {
  /** NoisyNet only: false evaluates the mean network (μ weights). Default true. */
  readonly noise?: boolean;
}

/**
 * A multilayer perceptron. `apply` is for use inside a loss function or tf.tidy (it returns a tensor the caller
 * owns); `predict` is the convenience for acting: host array in, host array out, one read from the backend.
 */
export class Mlp implements Module {
  readonly config: ResolvedMlpConfig;
  readonly layers: readonly Layer[];
  readonly inputSize: number;
  readonly outputSize: number;
  #noiseRng: Rng;

  constructor(config: MlpConfig, rng: Rng) {
    requireBackend('Mlp');
    this.config = validateConfig(mlpConfigSchema, config, 'MLP config');
    const { sizes, name, init } = this.config;
    const outputInit = this.config.outputInit ?? init;
    const sigma0 = typeof this.config.noisy === 'object' ? this.config.noisy.sigma0 : DEFAULT_NOISY_SIGMA0;
    const layers: Layer[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const layerName = `${name}/layer${i}`;
      const layerRng = rng.split(`layer${i}`);
      const inSize = sizes[i] as number;
      const outSize = sizes[i + 1] as number;
      layers.push(
        this.config.noisy === false
          ? new Dense(layerName, inSize, outSize, i + 2 === sizes.length ? outputInit : init, layerRng)
          : new NoisyLinear(layerName, inSize, outSize, layerRng, sigma0),
      );
    }
    this.layers = layers;
    this.inputSize = sizes[0] as number;
    this.outputSize = sizes[sizes.length - 1] as number;
    this.#noiseRng = rng.split('noise');
  }

  /** Forward pass on a batch [B, inputSize] → [B, outputSize]. */
  apply(x: tf.Tensor2D, options: MlpApplyOptions = {}): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `${this.config.name}: input must be [batch, ${this.inputSize}], got [${x.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => {
      let h = x;
      const last = this.layers.length - 1;
      this.layers.forEach((layer, i) => {
        const activation: Activation = i === last ? this.config.outputActivation : this.config.activation;
        h = layer.apply(h, activation, { noise: options.noise, leakyReluAlpha: this.config.leakyReluAlpha });
      });
      return h;
    });
  }

  /** Runs a batch given as a flat row-major Float32Array (length B·inputSize); returns B·outputSize values. */
  predict(input: Float32Array | readonly number[], options: MlpApplyOptions = {}): Float32Array {
    if (input.length % this.inputSize !== 0 || input.length === 0) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `${this.config.name}.predict: input length ${input.length} is not a positive multiple of ${this.inputSize}`,
      );
    }
    const batch = input.length / this.inputSize;
    const out = tf.tidy(() => this.apply(tf.tensor2d(input as Float32Array, [batch, this.inputSize]), options));
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  }

  /** NoisyNet: resample every layer's factorised noise from this network's own seeded noise stream (or `rng`). */
  resetNoise(rng: Rng = this.#noiseRng): void {
    for (const layer of this.layers) if (isNoisyLayer(layer)) layer.resetNoise(rng);
  }

  get isNoisy(): boolean {
    return this.layers.some(isNoisyLayer);
  }

  parameters(): readonly NamedVariable[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}

/** Builds an MLP from a validated config and a seeded Rng: same seed, same weights. */
export function createMlp(config: MlpConfig, rng: Rng): Mlp {
  return new Mlp(config, rng);
}
