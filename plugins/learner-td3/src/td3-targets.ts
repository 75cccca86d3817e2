import { TwinforgeError } from '@twinforge/core';
import { tf } from '@twinforge/tensor';

/**
 * Target policy smoothing (TD3 §5.3): ã = clip(μ'(s') + clip(ε, −c, c), −1, 1) with ε ~ N(0, σ) drawn by the
 * caller (seeded), in normalised action units. Smoothing the target over nearby actions keeps the critic from
 * fitting narrow peaks the actor would exploit.
 */
export function smoothTargetActions(targetActions: tf.Tensor2D, noise: tf.Tensor2D, noiseClip: number): tf.Tensor2D {
  if (targetActions.shape.join('x') !== noise.shape.join('x')) {
    throw new TwinforgeError(
      'TENSOR_SHAPE_MISMATCH',
      `noise [${noise.shape.join(', ')}] must match the target actions [${targetActions.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => tf.clipByValue(tf.add(targetActions, tf.clipByValue(noise, -noiseClip, noiseClip)), -1, 1));
}

export interface ClippedDoubleQInputs {
  /** [B, 1] each. */
  readonly rewards: tf.Tensor2D;
  readonly terminated: tf.Tensor2D;
  /** Q1'(s', ã), Q2'(s', ã) from the target critics, [B, 1]. */
  readonly q1: tf.Tensor2D;
  readonly q2: tf.Tensor2D;
  readonly gamma: number;
}

/**
 * Clipped double-Q learning (TD3 §4.2): y = r + γ (1 − d) min(Q1'(s', ã), Q2'(s', ã)). Taking the smaller of two
 * independently trained critics counters the overestimation a single critic accumulates. Returns [B, 1]; call it
 * outside the gradient tape.
 */
export function clippedDoubleQTarget(inputs: ClippedDoubleQInputs): tf.Tensor2D {
  const { rewards, terminated, q1, q2, gamma } = inputs;
  const shape = rewards.shape.join('x');
  for (const [name, t] of [
    ['terminated', terminated],
    ['q1', q1],
    ['q2', q2],
  ] as const) {
    if (t.shape.join('x') !== shape) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `${name} [${t.shape.join(', ')}] must match rewards [${rewards.shape.join(', ')}]`,
      );
    }
  }
  return tf.tidy(() => tf.add(rewards, tf.mul(tf.mul(tf.sub(1, terminated), gamma), tf.minimum(q1, q2))));
}
