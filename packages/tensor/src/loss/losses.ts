import { TwinforgeError } from '@twinforge/core';
import type { WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';

/**
 * Loss helpers returning a scalar mean over the batch. `weights` (shape [B] or [B, 1]) multiplies each sample's
 * loss before the mean: prioritized replay's importance-sampling weights.
 */
export interface LossOptions {
  readonly weights?: tf.Tensor;
}

function checkSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.join('x') !== b.shape.join('x')) {
    throw new TwinforgeError(
      'TENSOR_SHAPE_MISMATCH',
      `${what}: prediction [${a.shape.join(', ')}] and target [${b.shape.join(', ')}] differ`,
    );
  }
}

/** Per-sample values [B, ...] → weighted batch mean. */
function reduce(perElement: tf.Tensor, weights: tf.Tensor | undefined): tf.Scalar {
  if (weights === undefined) return tf.mean(perElement);
  const batch = perElement.shape[0] ?? 1;
  const perSample = perElement.rank > 1 ? tf.mean(tf.reshape(perElement, [batch, -1]), 1) : perElement;
  return tf.mean(tf.mul(perSample, tf.reshape(weights, [batch])));
}

/** Mean squared error. */
export function mseLoss(prediction: tf.Tensor, target: tf.Tensor, options: LossOptions = {}): tf.Scalar {
  checkSameShape(prediction, target, 'mseLoss');
  return tf.tidy(() => reduce(tf.squaredDifference(prediction, target), options.weights));
}

/**
 * Huber loss (smooth L1) with threshold δ: ½e² for |e| ≤ δ, δ(|e| - ½δ) beyond; torch's huber_loss, and DQN's
 * error clipping (δ = 1).
 */
export function huberLoss(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: LossOptions & { readonly delta?: number } = {},
): tf.Scalar {
  checkSameShape(prediction, target, 'huberLoss');
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `huber delta must be > 0, got ${delta}`);
  return tf.tidy(() => {
    const abs = tf.abs(tf.sub(prediction, target));
    const quadratic = tf.minimum(abs, delta);
    const linear = tf.sub(abs, quadratic);
    return reduce(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.mul(linear, delta)), options.weights);
  });
}

/**
 * Softmax cross-entropy from logits [B, K] against class indices (int32 [B]) or target distributions [B, K],
 * computed with log-softmax for stability.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor, options: LossOptions = {}): tf.Scalar {
  const [batch, classes] = logits.shape;
  return tf.tidy(() => {
    const targets =
      labels.rank === 1 ? tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, classes) : (labels as tf.Tensor2D);
    checkSameShape(logits, targets, 'softmaxCrossEntropy');
    const perSample = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1));
    return reduce(tf.reshape(perSample, [batch]), options.weights);
  });
}

/**
 * Binary cross-entropy from logits against targets in [0, 1] (GAIL's discriminator):
 * max(x, 0) - x·y + log(1 + e^{-|x|}), stable for large |x|.
 */
export function sigmoidCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, options: LossOptions = {}): tf.Scalar {
  checkSameShape(logits, targets, 'sigmoidCrossEntropy');
  return tf.tidy(() => {
    const perElement = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, targets)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return reduce(perElement, options.weights);
  });
}

/**
 * Binary cross-entropy on probabilities in [0, 1] (a sigmoid output, e.g. DIRS's per-agent offloading scores,
 * Eq. 14/17): −[y log p + (1 − y) log(1 − p)], with p clamped to [ε, 1 − ε] so a saturated output stays finite.
 * Prefer sigmoidCrossEntropy on logits when the network can output logits.
 */
export function binaryCrossEntropy(
  probabilities: tf.Tensor,
  targets: tf.Tensor,
  options: LossOptions & { readonly epsilon?: number } = {},
): tf.Scalar {
  checkSameShape(probabilities, targets, 'binaryCrossEntropy');
  const eps = options.epsilon ?? 1e-7;
  return tf.tidy(() => {
    const p = tf.clipByValue(probabilities, eps, 1 - eps);
    const perElement = tf.neg(tf.add(tf.mul(targets, tf.log(p)), tf.mul(tf.sub(1, targets), tf.log(tf.sub(1, p)))));
    return reduce(perElement, options.weights);
  });
}

/** ‖θ‖² over every parameter of the sources: an explicit L2 term for a loss (DIRS Eq. 14's λ1·L_L2). */
export function l2Penalty(sources: WeightSource | readonly WeightSource[]): tf.Scalar {
  const list = Array.isArray(sources) ? (sources as readonly WeightSource[]) : [sources as WeightSource];
  const params = list.flatMap((s) => s.parameters().map((p) => p.variable));
  return tf.tidy(
    () => (params.length === 0 ? tf.scalar(0) : tf.addN(params.map((v) => tf.sum(tf.square(v))))) as tf.Scalar,
  );
}
