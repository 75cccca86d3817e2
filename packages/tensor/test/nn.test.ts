import { createRng, isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  affine,
  createMlp,
  createTwinCritic,
  getFlatWeights,
  initLayer,
  mseLoss,
  NoisyLinear,
  orthogonal,
  tf,
} from '../src/index.js';
import { initQuietly } from './setup.js';

beforeAll(async () => {
  await initQuietly();
});

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}
function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - m) ** 2;
  return s / (xs.length - 1);
}

describe('initialisers', () => {
  it('orthogonal gives WᵀW = g²I (tall) and WWᵀ = g²I (wide)', () => {
    for (const [rows, cols] of [
      [8, 3],
      [3, 8],
      [5, 5],
    ] as const) {
      const g = 1.7;
      const w = orthogonal(rows, cols, g, createRng(rows * 10 + cols));
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < Math.max(rows, cols); i++) {
            dot +=
              rows >= cols
                ? (w[i * cols + a] as number) * (w[i * cols + b] as number)
                : (w[a * cols + i] as number) * (w[b * cols + i] as number);
          }
          expect(dot).toBeCloseTo(a === b ? g * g : 0, 10);
        }
      }
    }
  });

  it('uniform fan-in stays within ±1/√fan_in; he-normal has std √(2/fan_in); glorot bias is zero', () => {
    const u = initLayer('uniform-fan-in', 64, 256, createRng(1));
    const bound = 1 / 8;
    expect(Math.max(...u.kernel.map(Math.abs), ...u.bias.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...u.kernel.map(Math.abs))).toBeGreaterThan(bound * 0.99);
    const he = initLayer('he-normal', 64, 256, createRng(2));
    expect(Math.sqrt(variance(he.kernel))).toBeCloseTo(Math.sqrt(2 / 64), 2);
    const glorot = initLayer('glorot-uniform', 64, 256, createRng(3));
    expect(Array.from(glorot.bias).every((b) => b === 0)).toBe(true);
    expect(Math.max(...glorot.kernel.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 320));
    const ddpg = initLayer({ kind: 'uniform', limit: 3e-3 }, 300, 1, createRng(4));
    expect(Math.max(...ddpg.kernel.map(Math.abs), ...ddpg.bias.map(Math.abs))).toBeLessThanOrEqual(3e-3);
  });
});

describe('affine', () => {
  it('its hand-written gradient equals tfjs autodiff of x·W + b (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (batch, inSize, outSize, seed) => {
          const rng = createRng(seed);
          const x = tf.tensor2d(rng.fillNormal(new Float32Array(batch * inSize)), [batch, inSize]);
          const w = tf.tensor2d(rng.fillNormal(new Float32Array(inSize * outSize)), [inSize, outSize]);
          const b = tf.tensor1d(rng.fillNormal(new Float32Array(outSize)));
          const c = tf.tensor2d(rng.fillNormal(new Float32Array(batch * outSize)), [batch, outSize]);
          const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.tanh(y), c));
          const ours = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
            loss(affine(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D)),
          )([x, w, b]);
          const reference = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
            loss(tf.add(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi)),
          )([x, w, b]);
          ours.forEach((g, i) => {
            const r = reference[i] as tf.Tensor;
            expect(g.shape).toEqual(r.shape);
            const a = g.dataSync();
            const e = r.dataSync();
            for (let k = 0; k < a.length; k++) {
              expect(Math.abs((a[k] as number) - (e[k] as number))).toBeLessThan(1e-4 * (1 + Math.abs(e[k] as number)));
            }
          });
          tf.dispose([x, w, b, c, ...ours, ...reference]);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('Mlp', () => {
  it('same seed gives the same weights bit for bit; another seed does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const a = createMlp({ sizes: [5, 7, 3], init: 'he-uniform' }, createRng(seed));
        const b = createMlp({ sizes: [5, 7, 3], init: 'he-uniform' }, createRng(seed));
        const c = createMlp({ sizes: [5, 7, 3], init: 'he-uniform' }, createRng(seed + 1));
        expect(getFlatWeights(a)).toEqual(getFlatWeights(b));
        expect(getFlatWeights(a)).not.toEqual(getFlatWeights(c));
        for (const n of [a, b, c]) n.dispose();
      }),
      { numRuns: 10 },
    );
  });

  it('training is deterministic: two runs from one seed end with identical weights', () => {
    const run = () => {
      const net = createMlp({ sizes: [3, 16, 2], activation: 'elu' }, createRng(5));
      const opt = new Adam(net, { lr: 1e-2, clipNorm: 1 });
      const rng = createRng(6);
      for (let i = 0; i < 10; i++) {
        const x = tf.tensor2d(rng.fillNormal(new Float32Array(32 * 3)), [32, 3]);
        const y = tf.tensor2d(rng.fillNormal(new Float32Array(32 * 2)), [32, 2]);
        opt.minimize(() => mseLoss(net.apply(x), y));
        tf.dispose([x, y]);
      }
      const w = getFlatWeights(net);
      net.dispose();
      opt.dispose();
      return w;
    };
    expect(run()).toEqual(run());
  });

  it('applies each activation, with softmax rows summing to one', () => {
    const x = tf.tensor2d([
      [-2, 0.5],
      [3, -1],
    ]);
    for (const activation of ['relu', 'tanh', 'elu', 'leaky-relu', 'sigmoid', 'linear'] as const) {
      const net = createMlp({ sizes: [2, 4, 3], activation, outputActivation: 'tanh' }, createRng(1));
      const y = net.apply(x);
      expect(y.shape).toEqual([2, 3]);
      expect(Array.from(y.dataSync()).every((v) => Math.abs(v) < 1)).toBe(true);
      y.dispose();
      net.dispose();
    }
    const policy = createMlp({ sizes: [2, 8, 4], outputActivation: 'softmax' }, createRng(2));
    const p = policy.predict([0.1, 0.2, -3, 4]);
    expect(p[0]! + p[1]! + p[2]! + p[3]!).toBeCloseTo(1, 5);
    expect(p[4]! + p[5]! + p[6]! + p[7]!).toBeCloseTo(1, 5);
    x.dispose();
    policy.dispose();
  });

  it('leaky-relu uses its alpha on negative inputs', () => {
    const net = createMlp({ sizes: [1, 1], outputActivation: 'leaky-relu', leakyReluAlpha: 0.01 }, createRng(0));
    net.parameters()[0]?.variable.assign(tf.tensor2d([[1]]));
    net.parameters()[1]?.variable.assign(tf.tensor1d([0]));
    expect(Array.from(net.predict([-3, 2]))).toEqual([Math.fround(-0.03), 2]);
    net.dispose();
  });

  it('rejects a wrong input width and an invalid config, naming the field', () => {
    const net = createMlp({ sizes: [3, 2] }, createRng(0));
    const x = tf.ones([2, 4]) as tf.Tensor2D;
    expect(() => net.apply(x)).toThrow(/input must be \[batch, 3\], got \[2, 4\]/);
    expect(() => net.predict([1, 2])).toThrow(/not a positive multiple of 3/);
    x.dispose();
    net.dispose();
    let error: unknown;
    try {
      createMlp({ sizes: [3, 0, 1], activation: 'swish' as 'relu' }, createRng(0));
    } catch (e) {
      error = e;
    }
    expect(isTwinforgeError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/sizes\[1\]/);
    expect((error as Error).message).toMatch(/activation/);
  });
});

describe('NoisyLinear', () => {
  it('output noise has the factorised-Gaussian mean and variance (Fortunato et al. 2018)', () => {
    // Var(y_j) = σ_w² (E|ε|)² Σ x_i² + σ_b² E|ε|, E|ε| = √(2/π); cross terms vanish because E f(ε) = 0.
    const p = 6;
    const q = 3;
    const layer = new NoisyLinear('noisy', p, q, createRng(1), 0.5);
    const x = tf.tensor2d([[1, -0.5, 2, 0, 0.3, -1.2]]);
    const sumX2 = 1 + 0.25 + 4 + 0 + 0.09 + 1.44;
    const sigma = 0.5 / Math.sqrt(p);
    const eAbs = Math.sqrt(2 / Math.PI);
    const expectedVar = sigma ** 2 * eAbs ** 2 * sumX2 + sigma ** 2 * eAbs;
    const muOut = layer.apply(x, 'linear', { noise: false });
    const mu = Array.from(muOut.dataSync());
    muOut.dispose();
    const n = 4000;
    const samples: number[][] = [[], [], []];
    const noiseRng = createRng(2);
    for (let s = 0; s < n; s++) {
      layer.resetNoise(noiseRng);
      const y = layer.apply(x, 'linear');
      const v = y.dataSync();
      for (let j = 0; j < q; j++) samples[j]?.push(v[j] as number);
      y.dispose();
    }
    for (let j = 0; j < q; j++) {
      const s = samples[j] as number[];
      expect(Math.abs(mean(s) - (mu[j] as number))).toBeLessThan(4 * Math.sqrt(expectedVar / n));
      expect(variance(s) / expectedVar).toBeGreaterThan(0.9);
      expect(variance(s) / expectedVar).toBeLessThan(1.1);
    }
    x.dispose();
    layer.dispose();
  });

  it('noise is deterministic under a seed, fixed until resampled, and off with { noise: false }', () => {
    const net = createMlp({ sizes: [4, 8, 2], noisy: true }, createRng(3));
    const twin = createMlp({ sizes: [4, 8, 2], noisy: true }, createRng(3));
    const input = [0.1, -0.2, 0.3, 0.4];
    const a1 = net.predict(input);
    expect(net.predict(input)).toEqual(a1);
    expect(twin.predict(input)).toEqual(a1);
    net.resetNoise();
    twin.resetNoise();
    const a2 = net.predict(input);
    expect(a2).not.toEqual(a1);
    expect(twin.predict(input)).toEqual(a2);
    const mean1 = net.predict(input, { noise: false });
    net.resetNoise();
    expect(net.predict(input, { noise: false })).toEqual(mean1);
    expect(net.isNoisy).toBe(true);
    expect(net.parameters().map((p) => p.name.split('/').pop())).toEqual([
      'weight_mu',
      'weight_sigma',
      'bias_mu',
      'bias_sigma',
      'weight_mu',
      'weight_sigma',
      'bias_mu',
      'bias_sigma',
    ]);
    net.dispose();
    twin.dispose();
  });

  it('σ is learned: a train step changes weight_sigma', () => {
    const net = createMlp({ sizes: [2, 2], noisy: { sigma0: 0.4 } }, createRng(4));
    const sigmaBefore = Array.from(net.parameters()[1]?.variable.dataSync() ?? []);
    expect(sigmaBefore.every((s) => Math.abs(s - 0.4 / Math.sqrt(2)) < 1e-7)).toBe(true);
    const opt = new Adam(net, { lr: 0.01 });
    const x = tf.ones([4, 2]);
    opt.minimize(() => mseLoss(net.apply(x as tf.Tensor2D), tf.zeros([4, 2])));
    expect(Array.from(net.parameters()[1]?.variable.dataSync() ?? [])).not.toEqual(sigmaBefore);
    x.dispose();
    opt.dispose();
    net.dispose();
  });
});

describe('TwinCritic', () => {
  it('gives two independent [B, 1] Q values over concat(obs, action), minQ ≤ both', () => {
    const critic = createTwinCritic({ obsSize: 3, actionSize: 2, hiddenSizes: [16, 16] }, createRng(7));
    const obs = tf.tensor2d(createRng(8).fillNormal(new Float32Array(5 * 3)), [5, 3]);
    const act = tf.tensor2d(createRng(9).fillUniform(new Float32Array(5 * 2), -1, 1), [5, 2]);
    const [q1, q2] = critic.apply(obs, act);
    expect(q1.shape).toEqual([5, 1]);
    expect(q2.shape).toEqual([5, 1]);
    const v1 = Array.from(q1.dataSync());
    const v2 = Array.from(q2.dataSync());
    expect(v1).not.toEqual(v2);
    const only1 = critic.q1(obs, act);
    expect(Array.from(only1.dataSync())).toEqual(v1);
    const min = critic.minQ(obs, act);
    expect(Array.from(min.dataSync())).toEqual(v1.map((a, i) => Math.min(a, v2[i] as number)));
    expect(critic.parameters()).toHaveLength(12);
    expect(critic.parameters()[0]?.name).toBe('critic/q1/layer0/kernel');
    expect(critic.parameters()[0]?.variable.shape).toEqual([5, 16]);
    expect(critic.parameters()[6]?.name).toBe('critic/q2/layer0/kernel');
    const wrong = tf.ones([5, 3]) as tf.Tensor2D;
    expect(() => critic.apply(obs, wrong)).toThrow(/action \[B, 2\]/);
    tf.dispose([obs, act, q1, q2, only1, min, wrong]);
    critic.dispose();
  });
});
