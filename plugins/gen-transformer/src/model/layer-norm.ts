import { type Module, makeVariable, type NamedVariable, tf } from '@twinforge/tensor';

/** Layer normalisation over the last axis with a learned gain (init 1) and bias (init 0); ε = 1e-5. */
export class LayerNorm implements Module {
  readonly gain: tf.Variable<tf.Rank.R1>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly name: string,
    size: number,
  ) {
    this.gain = makeVariable(tf.ones([size]) as tf.Tensor1D);
    this.bias = makeVariable(tf.zeros([size]) as tf.Tensor1D);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      return tf.add(tf.mul(tf.div(centred, tf.sqrt(tf.add(variance, 1e-5))), this.gain), this.bias) as tf.Tensor2D;
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      { name: `${this.name}/gain`, variable: this.gain },
      { name: `${this.name}/bias`, variable: this.bias },
    ];
  }

  dispose(): void {
    this.gain.dispose();
    this.bias.dispose();
  }
}
