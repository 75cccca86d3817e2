import type { Rng } from '@twinforge/core';
import * as tf from '../tf.js';
import { type Activation, activate } from './activations.js';
import { affine } from './affine.js';
import { type InitSpec, initLayer } from './initializers.js';
import type { Layer, LayerApplyOptions } from './layer.js';
import type { NamedVariable } from './module.js';

/**
 * A dense layer with kernel [in, out] and bias [out]: activation(x·W + b), the affine part through `affine` (one
 * XNNPACK call on wasm forward and backward).
 */
export class Dense implements Layer {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    init: InitSpec,
    rng: Rng,
  ) {
    const w = initLayer(init, inSize, outSize, rng);
    this.kernel = makeVariable(tf.tensor2d(w.kernel, [inSize, outSize]));
    this.bias = makeVariable(tf.tensor1d(w.bias));
  }

  apply(x: tf.Tensor2D, activation: Activation, options: LayerApplyOptions = {}): tf.Tensor2D {
    return tf.tidy(() => activate(affine(x, this.kernel, this.bias), activation, options.leakyReluAlpha));
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

/**
 * A trainable variable holding `initial`, which is then disposed. tfjs variable names are process-global, so a
 * twinforge name (which a target network shares with its online twin) is kept beside it, never passed to tfjs.
 */
export function makeVariable<R extends tf.Rank>(initial: tf.Tensor<R>, trainable = true): tf.Variable<R> {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}
