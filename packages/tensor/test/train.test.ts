import { createRng, isTwinforgeError } from '@twinforge/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  createMlp,
  createTwinCritic,
  getFlatWeights,
  hardUpdate,
  huberLoss,
  mseLoss,
  normalTensor,
  pickActions,
  softUpdate,
  tf,
} from '../src/index.js';
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

describe('learner-shaped steps', () => {
  it('a TD3 update (clipped double-Q critic step, delayed actor step, Polyak targets) leaks nothing', () => {
    const rng = createRng(21);
    const obsSize = 3;
    const actSize = 2;
    const actorCfg = { sizes: [obsSize, 32, 32, actSize], outputActivation: 'tanh' as const, name: 'actor' };
    const actor = createMlp(actorCfg, rng.split('actor'));
    const actorTarget = createMlp(actorCfg, rng.split('actor'));
    const critic = createTwinCritic({ obsSize, actionSize: actSize, hiddenSizes: [32, 32] }, rng.split('critic'));
    const criticTarget = createTwinCritic({ obsSize, actionSize: actSize, hiddenSizes: [32, 32] }, rng.split('critic'));
    expect(getFlatWeights(actorTarget)).toEqual(getFlatWeights(actor));
    const actorOpt = new Adam(actor, { lr: 1e-3 });
    const criticOpt = new Adam(critic, { lr: 1e-3 });
    const noise = rng.split('noise');
    const batch = 16;
    const update = (step: number) => {
      const obs = normalTensor(noise, [batch, obsSize]) as tf.Tensor2D;
      const act = normalTensor(noise, [batch, actSize]) as tf.Tensor2D;
      const reward = normalTensor(noise, [batch, 1]);
      const nextObs = normalTensor(noise, [batch, obsSize]) as tf.Tensor2D;
      const smoothing = normalTensor(noise, [batch, actSize], 0, 0.2);
      // Targets are computed outside minimize, so no gradient flows into them.
      const y = tf.tidy(() => {
        const nextAct = tf.clipByValue(tf.add(actorTarget.apply(nextObs), tf.clipByValue(smoothing, -0.5, 0.5)), -1, 1);
        return tf.add(reward, tf.mul(criticTarget.minQ(nextObs, nextAct as tf.Tensor2D), 0.99));
      });
      const criticStep = criticOpt.minimize(() => {
        const [q1, q2] = critic.apply(obs, act);
        return tf.add(mseLoss(q1, y), mseLoss(q2, y));
      });
      expect(Number.isFinite(criticStep.loss)).toBe(true);
      if (step % 2 === 0) {
        actorOpt.minimize(() => tf.neg(tf.mean(critic.q1(obs, actor.apply(obs)))));
        softUpdate(actorTarget, actor, 0.005);
        softUpdate(criticTarget, critic, 0.005);
      }
      tf.dispose([obs, act, reward, nextObs, smoothing, y]);
    };
    update(0);
    update(1);
    const before = tf.memory().numTensors;
    for (let i = 2; i < 12; i++) update(i);
    expect(tf.memory().numTensors).toBe(before);
    expect(getFlatWeights(actorTarget)).not.toEqual(getFlatWeights(actor));
    for (const d of [actor, actorTarget, critic, criticTarget, actorOpt, criticOpt]) d.dispose();
  });

  it('a NoisyNet double-DQN step with Huber loss and PER weights leaks nothing; pickActions picks q[i, a_i]', () => {
    const rng = createRng(22);
    const q = createMlp({ sizes: [4, 32, 2], noisy: true, name: 'q' }, rng.split('q'));
    const target = createMlp({ sizes: [4, 32, 2], noisy: true, name: 'q' }, rng.split('q'));
    const opt = new Adam(q, { lr: 1e-3, clipNorm: 10 });
    const data = rng.split('data');
    const picked = pickActions(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([1, 0], 'int32'));
    expect(Array.from(picked.dataSync())).toEqual([2, 3]);
    picked.dispose();
    const step = () => {
      const obs = normalTensor(data, [8, 4]) as tf.Tensor2D;
      const nextObs = normalTensor(data, [8, 4]) as tf.Tensor2D;
      const actions = tf.tensor1d(
        Int32Array.from({ length: 8 }, () => data.int(0, 1)),
        'int32',
      );
      const rewards = normalTensor(data, [8]) as tf.Tensor1D;
      const isWeights = tf.fill([8], 0.5);
      const y = tf.tidy(() => {
        const best = tf.argMax(q.apply(nextObs), 1) as tf.Tensor1D; // double DQN: online picks, target evaluates
        return tf.add(rewards, tf.mul(pickActions(target.apply(nextObs), best), 0.99));
      });
      const result = opt.minimize(() => {
        const qa = pickActions(q.apply(obs), actions);
        return { loss: huberLoss(qa, y, { weights: isWeights }), aux: tf.abs(tf.sub(qa, y)) };
      });
      expect(result.aux).toHaveLength(8);
      q.resetNoise();
      target.resetNoise();
      tf.dispose([obs, nextObs, actions, rewards, isWeights, y]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    hardUpdate(target, q);
    expect(tf.memory().numTensors).toBe(before);
    for (const d of [q, target, opt]) d.dispose();
  });
});
