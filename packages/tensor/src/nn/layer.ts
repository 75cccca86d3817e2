import type { Rng } from '@twinforge/core';
import type * as tf from '../tf.js';
import type { Activation } from './activations.js';
import type { Module } from './module.js';

/** One fully connected layer of an MLP: y = activation(x·W + b). */
export interface Layer extends Module {
  readonly name: string;
  readonly inSize: number;
  readonly outSize: number;
  apply(x: tf.Tensor2D, activation: Activation, options?: LayerApplyOptions): tf.Tensor2D;
}

export interface LayerApplyOptions {
  /** NoisyLinear only: false uses the mean weights μ (greedy evaluation); default true. */
  readonly noise?: boolean;
  readonly leakyReluAlpha?: number;
}

/** A layer with resampleable noise (NoisyLinear). */
export interface NoisyLayer extends Layer {
  resetNoise(rng: Rng): void;
}

export function isNoisyLayer(layer: Layer): layer is NoisyLayer {
  return typeof (layer as Partial<NoisyLayer>).resetNoise === 'function';
}
