import { createRng } from '@twinforge/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  createMlp,
  getFlatWeights,
  huberLoss,
  l2Penalty,
  mseLoss,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  tf,
} from '../src/index.js';
import { initQuietly } from './setup.js';

beforeAll(async () => {
  await initQuietly();
});

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describe('losses', () => {
  it('mse and huber match their definitions, with importance weights (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ min: -5, max: 5, noNaN: true }), fc.float({ min: -5, max: 5, noNaN: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (pairs, delta) => {
          const pred = tf.tensor1d(pairs.map((p) => p[0]));
          const target = tf.tensor1d(pairs.map((p) => p[1]));
          const weights = tf.tensor1d(pairs.map((_, i) => (i % 3) + 0.5));
          const errors = pairs.map(([a, b]) => a - b);
          const w = pairs.map((_, i) => (i % 3) + 0.5);
          const huber = (e: number) => (Math.abs(e) <= delta ? 0.5 * e * e : delta * (Math.abs(e) - 0.5 * delta));
          const n = pairs.length;
          const tol = (x: number) => 1e-4 * (1 + Math.abs(x));
          const mse = errors.reduce((s, e) => s + e * e, 0) / n;
          expect(Math.abs(value(mseLoss(pred, target)) - mse)).toBeLessThan(tol(mse));
          const hub = errors.reduce((s, e, i) => s + huber(e) * (w[i] as number), 0) / n;
          expect(Math.abs(value(huberLoss(pred, target, { delta, weights })) - hub)).toBeLessThan(tol(hub));
          tf.dispose([pred, target, weights]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('softmax cross-entropy from indices equals the one-hot form and −log softmax', () => {
    const logits = tf.tensor2d([
      [2, 1, 0.1],
      [0.5, 2.5, -1],
    ]);
    const byIndex = value(softmaxCrossEntropy(logits, tf.tensor1d([0, 1], 'int32')));
    const byOneHot = value(softmaxCrossEntropy(logits, tf.tensor2d([1, 0, 0, 0, 1, 0], [2, 3])));
    const lse = (r: number[]) => Math.log(r.reduce((s, x) => s + Math.exp(x), 0));
    const expected = (lse([2, 1, 0.1]) - 2 + lse([0.5, 2.5, -1]) - 2.5) / 2;
    expect(byIndex).toBeCloseTo(expected, 5);
    expect(byOneHot).toBeCloseTo(expected, 5);
    logits.dispose();
  });

  it('sigmoid cross-entropy is stable for large logits', () => {
    const logits = tf.tensor1d([100, -100, 0]);
    const targets = tf.tensor1d([1, 1, 0.5]);
    const v = value(sigmoidCrossEntropy(logits, targets));
    expect(v).toBeCloseTo((0 + 100 + Math.log(2)) / 3, 4);
    tf.dispose([logits, targets]);
  });

  it('binary cross-entropy on probabilities equals the logit form, and stays finite at saturation', () => {
    const logits = tf.tensor1d([-3, -0.5, 0, 1.5, 4]);
    const targets = tf.tensor1d([0, 1, 0.5, 1, 0]);
    const onProbs = value(binaryCrossEntropy(tf.sigmoid(logits), targets));
    expect(onProbs).toBeCloseTo(value(sigmoidCrossEntropy(logits, targets)), 5);
    const saturated = value(binaryCrossEntropy(tf.tensor1d([0, 1]), tf.tensor1d([1, 0])));
    // Clamped at ε = 1e-7 (1 − ε rounds to 1 − 1.19e-7 in float32): large but finite.
    expect(saturated).toBeGreaterThan(15.9);
    expect(saturated).toBeLessThan(16.2);
    tf.dispose([logits, targets]);
  });

  it('l2Penalty is Σθ² over all parameters, with gradient 2θ', () => {
    const net = createMlp({ sizes: [3, 4, 2] }, createRng(3));
    const flat = getFlatWeights(net);
    expect(value(l2Penalty(net))).toBeCloseTo(
      flat.reduce((s, w) => s + w * w, 0),
      4,
    );
    const vars = net.parameters().map((p) => p.variable);
    const { grads } = tf.variableGrads(() => l2Penalty(net), vars);
    const kernel = vars[0] as tf.Variable;
    const g = grads[kernel.name] as tf.Tensor;
    expect(Array.from(g.dataSync())).toEqual(Array.from(kernel.dataSync()).map((w) => Math.fround(2 * w)));
    tf.dispose(Object.values(grads));
    net.dispose();
  });

  it('mismatched shapes are TENSOR_SHAPE_MISMATCH', () => {
    const a = tf.ones([3, 1]);
    const b = tf.ones([3]);
    expect(() => mseLoss(a, b)).toThrow(/\[3, 1\] and target \[3\]/);
    tf.dispose([a, b]);
  });
});
