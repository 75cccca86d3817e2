import * as tf from '../tf.js';

export const ACTIVATIONS = ['relu', 'tanh', 'elu', 'leaky-relu', 'linear', 'sigmoid', 'softmax'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Keras's default slope for leaky ReLU (PyTorch uses 0.01; set `leakyReluAlpha` to match a paper). */
export const DEFAULT_LEAKY_RELU_ALPHA = 0.2;

/** Applies an activation to a batch [B, n]; softmax is over the last axis. */
export function activate<T extends tf.Tensor>(
  x: T,
  activation: Activation,
  leakyReluAlpha = DEFAULT_LEAKY_RELU_ALPHA,
): T {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
    case 'leaky-relu':
      return tf.leakyRelu(x, leakyReluAlpha);
    case 'linear':
      return x;
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'softmax':
      return tf.softmax(x) as T;
  }
}
