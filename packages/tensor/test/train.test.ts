import { createRng, isTwinforgeError } from '@twinforge/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, createMlp, getFlatWeights, mseLoss, tf } from '../src/index.js';
import { initQuietly } from './setup.js';

beforeAll(async () => {
  await initQuietly();
});

/** y = sin(x0) + 0.5·x1², a smooth target a small MLP can fit. */
function regressionData(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = createRng(seed);
  const x = rng.fillUniform(new Float32Array(n * 2), -2, 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(x[2 * i] as number) + 0.5 * (x[2 * i + 1] as number) ** 2;
  return { x, y };
}

describe('Mlp + Adam', () => {
  it('learns a small regression: loss falls well below its start', () => {
    const net = createMlp({ sizes: [2, 32, 32, 1], activation: 'tanh' }, createRng(1));
    const opt = new Adam(net, { lr: 1e-2 });
    const { x, y } = regressionData(256, 2);
    const xs = tf.tensor2d(x, [256, 2]);
    const ys = tf.tensor2d(y, [256, 1]);
    const losses: number[] = [];
    for (let i = 0; i < 300; i++) losses.push(opt.minimize(() => mseLoss(net.apply(xs), ys)).loss);
    const first = losses[0] as number;
    const last = losses[losses.length - 1] as number;
    expect(first).toBeGreaterThan(0.3);
    expect(last).toBeLessThan(first * 0.05);
    xs.dispose();
    ys.dispose();
    opt.dispose();
    net.dispose();
  });

  it('does not leak tensors across train steps', () => {
    const net = createMlp({ sizes: [4, 16, 16, 2] }, createRng(3));
    const opt = new Adam(net, { clipNorm: 0.5 });
    const xs = tf.randomNormal([8, 4]) as tf.Tensor2D;
    const ys = tf.zeros([8, 2]);
    opt.minimize(() => mseLoss(net.apply(xs), ys));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      opt.minimize(() => ({ loss: mseLoss(net.apply(xs), ys), aux: tf.abs(tf.sub(net.apply(xs), ys)) }));
    }
    net.predict(new Float32Array(8));
    getFlatWeights(net);
    expect(tf.memory().numTensors).toBe(before);
    for (const t of [xs, ys]) t.dispose();
    opt.dispose();
    net.dispose();
  });

  it('refuses a non-finite loss with NUMERIC_INVALID and leaves the weights unchanged', () => {
    const net = createMlp({ sizes: [2, 8, 1] }, createRng(4));
    const opt = new Adam(net);
    const before = getFlatWeights(net);
    const xs = tf.tensor2d([Number.NaN, 1], [1, 2]);
    const ys = tf.zeros([1, 1]);
    let error: unknown;
    try {
      opt.minimize(() => mseLoss(net.apply(xs), ys));
    } catch (e) {
      error = e;
    }
    expect(isTwinforgeError(error, 'NUMERIC_INVALID')).toBe(true);
    expect(getFlatWeights(net)).toEqual(before);
    expect(opt.step).toBe(0);
    xs.dispose();
    ys.dispose();
    opt.dispose();
    net.dispose();
  });
});
