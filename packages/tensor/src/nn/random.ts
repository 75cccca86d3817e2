import type { Rng } from '@twinforge/core';
import * as tf from '../tf.js';

/**
 * Random tensors drawn on the host from a seeded core Rng and uploaded once: unlike tf.randomNormal they are the
 * same on every backend and follow the run's seed (TD3's target-policy smoothing, Gaussian exploration noise).
 */
export function normalTensor(rng: Rng, shape: readonly number[], mean = 0, std = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormal(new Float32Array(n), mean, std), [...shape], 'float32');
}

export function uniformTensor(rng: Rng, shape: readonly number[], lo = 0, hi = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillUniform(new Float32Array(n), lo, hi), [...shape], 'float32');
}

/** q[i, actions[i]] for a batch of Q rows [B, A] and int32 actions [B] → [B], differentiable (DQN's Q(s, a)). */
export function pickActions(q: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(q, tf.oneHot(tf.cast(actions, 'int32') as tf.Tensor1D, q.shape[1])), 1));
}
