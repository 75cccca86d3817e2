import { TwinforgeError } from '@twinforge/core';
import { pickActions, tf } from '@twinforge/tensor';

/** One batch's pieces of the TD target, all [B] except the Q tables [B, A]. */
export interface DqnTargetInputs {
  /** Reward, or the discounted n-step sum Σ γ^k r_{t+k}. */
  readonly rewards: tf.Tensor1D;
  /** γ^k of the bootstrap term (γ for one-step, shorter horizons at episode ends). */
  readonly discounts: tf.Tensor1D;
  /** 1 where the episode terminated (no bootstrap); truncation is stored as 0 so time limits bootstrap. */
  readonly terminated: tf.Tensor1D;
  /** Q_target(s', ·). */
  readonly nextQTarget: tf.Tensor2D;
  /** Q_online(s', ·): given, the target is double DQN's; omitted, it is the max of Q_target. */
  readonly nextQOnline?: tf.Tensor2D;
}

/**
 * The DQN regression target y = r + γ^k (1 − d) V(s'), with
 *   V(s') = max_a Q_target(s', a)                                 (Mnih et al. 2015), or
 *   V(s') = Q_target(s', argmax_a Q_online(s', a))                (double DQN, van Hasselt et al. 2016),
 * which decouples choosing a' from valuing it and so removes max's upward bias. Returns [B]; call it outside the
 * gradient tape (targets are constants of the loss).
 */
export function dqnTargets(inputs: DqnTargetInputs): tf.Tensor1D {
  const { rewards, discounts, terminated, nextQTarget, nextQOnline } = inputs;
  const batch = nextQTarget.shape[0];
  for (const [name, t] of [
    ['rewards', rewards],
    ['discounts', discounts],
    ['terminated', terminated],
  ] as const) {
    if (t.rank !== 1 || t.shape[0] !== batch) {
      throw new TwinforgeError('TENSOR_SHAPE_MISMATCH', `${name} must be [${batch}], got [${t.shape.join(', ')}]`);
    }
  }
  if (nextQOnline !== undefined && nextQOnline.shape.join('x') !== nextQTarget.shape.join('x')) {
    throw new TwinforgeError(
      'TENSOR_SHAPE_MISMATCH',
      `nextQOnline [${nextQOnline.shape.join(', ')}] must match nextQTarget [${nextQTarget.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const value =
      nextQOnline === undefined ? tf.max(nextQTarget, 1) : pickActions(nextQTarget, tf.argMax(nextQOnline, 1));
    const bootstrap = tf.mul(tf.mul(discounts, tf.sub(1, terminated)), value);
    return tf.add(rewards, bootstrap) as tf.Tensor1D;
  });
}
