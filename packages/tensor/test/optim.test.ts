import { createRng, isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adam,
  type AdamConfig,
  clipByGlobalNorm,
  createMlp,
  getFlatWeights,
  globalNorm,
  makeVariable,
  mseLoss,
  TensorAdam,
  tf,
  type WeightSource,
} from '../src/index.js';
import { initQuietly } from './setup.js';

beforeAll(async () => {
  await initQuietly();
});

/** A bare parameter vector as a WeightSource. */
function vectorSource(values: number[]): WeightSource & { v: tf.Variable } {
  const v = makeVariable(tf.tensor1d(values));
  return { v, parameters: () => [{ name: 'w', variable: v }] };
}

/** PyTorch's Adam (+ clip_grad_norm_, L2 or decoupled decay) in float64, for loss_k(w) = Σ c_k ⊙ w. */
function referenceAdam(
  w0: number[],
  coefficients: number[][],
  cfg: Required<Omit<AdamConfig, 'clipNorm'>> & { clipNorm?: number },
) {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  coefficients.forEach((c, k) => {
    const t = k + 1;
    let g = [...c];
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    if (cfg.clipNorm !== undefined && norm > cfg.clipNorm) g = g.map((x) => (x * cfg.clipNorm!) / (norm + 1e-6));
    if (cfg.weightDecay > 0 && !cfg.decoupled) g = g.map((x, i) => x + cfg.weightDecay * (w[i] as number));
    for (let i = 0; i < w.length; i++) {
      m[i] = cfg.beta1 * (m[i] as number) + (1 - cfg.beta1) * (g[i] as number);
      v[i] = cfg.beta2 * (v[i] as number) + (1 - cfg.beta2) * (g[i] as number) ** 2;
      const denom = Math.sqrt(v[i] as number) / Math.sqrt(1 - cfg.beta2 ** t) + cfg.epsilon;
      if (cfg.decoupled) w[i] = (w[i] as number) * (1 - cfg.lr * cfg.weightDecay);
      w[i] = (w[i] as number) - (cfg.lr / (1 - cfg.beta1 ** t)) * ((m[i] as number) / denom);
    }
  });
  return w;
}

describe('Adam', () => {
  const base = { lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false };
  const cases: [string, typeof base & { clipNorm?: number }][] = [
    ['plain', base],
    ['clipped (gradient norms 10 then 0.1 against clipNorm 1)', { ...base, clipNorm: 1 }],
    ['L2 weight decay', { ...base, weightDecay: 0.1 }],
    ['decoupled weight decay (AdamW)', { ...base, weightDecay: 0.1, decoupled: true }],
  ];
  for (const [label, cfg] of cases) {
    it(`matches PyTorch's update: ${label}`, () => {
      const w0 = [0.5, -1, 2];
      const coefficients = [
        [6, -8, 0], // norm 10
        [0.06, 0.08, 0], // norm 0.1
        [1, 1, 1],
      ];
      const src = vectorSource(w0);
      const opt = new Adam(src, cfg);
      const results = coefficients.map((c) => opt.minimize(() => tf.sum(tf.mul(src.v, tf.tensor1d(c)))));
      const expected = referenceAdam(w0, coefficients, cfg);
      const actual = Array.from(src.v.dataSync());
      for (const [i, x] of actual.entries()) expect(x).toBeCloseTo(expected[i] as number, 5);
      expect(results[0]?.gradNorm).toBeCloseTo(10, 4);
      expect(results[0]?.clipped).toBe(cfg.clipNorm !== undefined);
      expect(results[1]?.clipped).toBe(false);
      expect(opt.step).toBe(3);
      src.v.dispose();
      opt.dispose();
    });
  }

  it('only updates its own variables (an actor step leaves the critic alone)', () => {
    const actor = createMlp({ sizes: [2, 4, 1], name: 'actor' }, createRng(1));
    const critic = createMlp({ sizes: [3, 4, 1], name: 'critic' }, createRng(2));
    const before = getFlatWeights(critic);
    const opt = new Adam(actor);
    const obs = tf.ones([5, 2]) as tf.Tensor2D;
    opt.minimize(() => tf.neg(tf.mean(critic.apply(tf.concat([obs, actor.apply(obs)], 1)))));
    expect(getFlatWeights(critic)).toEqual(before);
    obs.dispose();
    opt.dispose();
    actor.dispose();
    critic.dispose();
  });

  it('leaves a parameter the loss does not reach untouched (PyTorch skips grad None), updating the rest', () => {
    const used = createMlp({ sizes: [2, 3, 1], name: 'used' }, createRng(1));
    const unused = createMlp({ sizes: [2, 3, 1], name: 'unused' }, createRng(2));
    const opt = new Adam([used, unused], { lr: 0.1 });
    const before = [getFlatWeights(used), getFlatWeights(unused)];
    const x = tf.ones([4, 2]) as tf.Tensor2D;
    for (let i = 0; i < 3; i++) opt.minimize(() => tf.mean(tf.square(used.apply(x))));
    expect(getFlatWeights(unused)).toEqual(before[1]);
    expect(getFlatWeights(used)).not.toEqual(before[0]);
    // Once the loss reaches it, it starts from fresh moments.
    opt.minimize(() => tf.mean(tf.square(tf.add(used.apply(x), unused.apply(x)))));
    expect(getFlatWeights(unused)).not.toEqual(before[1]);
    x.dispose();
    opt.dispose();
    used.dispose();
    unused.dispose();
  });

  it('checkpointed with the network, resumes bit for bit (moments and step count)', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadWeights, saveWeights } = await import('../src/index.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'tf-adam-'));
    const data = createRng(5);
    const batches = Array.from({ length: 5 }, () => ({
      x: tf.tensor2d(data.fillNormal(new Float32Array(8 * 3)), [8, 3]),
      y: tf.tensor2d(data.fillNormal(new Float32Array(8)), [8, 1]),
    }));
    const train = (net: ReturnType<typeof createMlp>, opt: Adam, from: number, to: number) => {
      for (const b of batches.slice(from, to)) opt.minimize(() => mseLoss(net.apply(b.x), b.y));
    };
    const net = createMlp({ sizes: [3, 8, 1] }, createRng(6));
    const opt = new Adam(net, { lr: 0.01, weightDecay: 0.01, decoupled: true });
    train(net, opt, 0, 3);
    await saveWeights(dir, { net, optimizer: opt.asWeightSource() });
    train(net, opt, 3, 5);
    const resumedNet = createMlp({ sizes: [3, 8, 1] }, createRng(7));
    const resumedOpt = new Adam(resumedNet, { lr: 0.01, weightDecay: 0.01, decoupled: true });
    await loadWeights(dir, { net: resumedNet, optimizer: resumedOpt.asWeightSource() });
    expect(resumedOpt.step).toBe(3);
    train(resumedNet, resumedOpt, 3, 5);
    expect(getFlatWeights(resumedNet)).toEqual(getFlatWeights(net));
    expect(resumedOpt.step).toBe(5);
    for (const b of batches) tf.dispose([b.x, b.y]);
    for (const o of [opt, resumedOpt]) o.dispose();
    for (const n of [net, resumedNet]) n.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the auxiliary tensor of the loss function, e.g. per-sample TD errors', () => {
    const net = createMlp({ sizes: [1, 1] }, createRng(0));
    const x = tf.tensor2d([[1], [2], [3]]);
    const y = tf.tensor2d([[0], [0], [0]]);
    const predicted = net.predict([1, 2, 3]);
    const { aux } = new Adam(net).minimize(() => {
      const q = net.apply(x);
      return { loss: mseLoss(q, y), aux: tf.abs(tf.sub(q, y)) };
    });
    expect(Array.from(aux ?? [])).toEqual(Array.from(predicted).map(Math.abs));
    tf.dispose([x, y]);
    net.dispose();
  });

  it('rejects an infinite gradient even when the loss is finite', () => {
    const src = vectorSource([1, 1]);
    const opt = new Adam(src, { clipNorm: 1 });
    let error: unknown;
    try {
      // d/dw sqrt(w) at w = 0 is +∞ while the loss sqrt(0) + sqrt(1) = 1 is finite.
      opt.minimize(() => tf.sum(tf.sqrt(tf.mul(src.v, tf.tensor1d([0, 1])))));
    } catch (e) {
      error = e;
    }
    expect(isTwinforgeError(error, 'NUMERIC_INVALID')).toBe(true);
    expect((error as Error).message).toContain('non-finite gradient');
    expect(Array.from(src.v.dataSync())).toEqual([1, 1]);
    src.v.dispose();
    opt.dispose();
  });

  it('validates its config, naming the field', () => {
    const src = vectorSource([1]);
    let error: unknown;
    try {
      new Adam(src, { beta1: 1.5 });
    } catch (e) {
      error = e;
    }
    expect(isTwinforgeError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('beta1');
    src.v.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  it('bounds the global norm by maxNorm and keeps the direction (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        (arrays, maxNorm) => {
          const tensors = arrays.map((a) => tf.tensor1d(a));
          const { clipped, norm } = clipByGlobalNorm(tensors, maxNorm);
          const after = globalNorm(clipped);
          const afterNorm = after.dataSync()[0] as number;
          const expectedNorm = Math.sqrt(arrays.flat().reduce((s, x) => s + x * x, 0));
          expect(norm).toBeCloseTo(expectedNorm, 2);
          expect(afterNorm).toBeLessThanOrEqual(maxNorm * (1 + 1e-5) + 1e-6);
          if (norm <= maxNorm) expect(afterNorm).toBeCloseTo(norm, 3);
          const scale = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
          clipped.forEach((t, i) => {
            Array.from(t.dataSync()).forEach((x, j) => {
              const original = (arrays[i] as number[])[j] as number;
              expect(Math.abs(x - original * scale)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(original)));
            });
          });
          tf.dispose([...tensors, ...clipped, after]);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('TensorAdam (per-tensor moments)', () => {
  const base = { lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: true };
  const cases: [string, typeof base & { clipNorm?: number }][] = [
    ['plain', base],
    ['clipped', { ...base, clipNorm: 1 }],
    ['decoupled weight decay (AdamW)', { ...base, weightDecay: 0.1 }],
  ];
  for (const [label, cfg] of cases) {
    it(`matches PyTorch's update: ${label}`, () => {
      const w0 = [0.5, -1, 2];
      const coefficients = [
        [6, -8, 0],
        [0.06, 0.08, 0],
        [1, 1, 1],
      ];
      const src = vectorSource(w0);
      const opt = new TensorAdam(src, cfg);
      const results = coefficients.map((c) => opt.minimize(() => tf.sum(tf.mul(src.v, tf.tensor1d(c)))));
      const expected = referenceAdam(w0, coefficients, cfg);
      for (const [i, x] of Array.from(src.v.dataSync()).entries()) expect(x).toBeCloseTo(expected[i] as number, 5);
      expect(results[0]?.gradNorm).toBeCloseTo(10, 4);
      expect(opt.step).toBe(3);
      src.v.dispose();
      opt.dispose();
    });
  }

  it('a non-finite loss is NUMERIC_INVALID and leaves the weights unchanged', () => {
    const src = vectorSource([1, 2]);
    const opt = new TensorAdam(src, { lr: 0.1 });
    let err: unknown;
    try {
      opt.minimize(() => tf.sum(tf.mul(src.v, tf.scalar(Number.NaN))));
    } catch (e) {
      err = e;
    }
    expect(isTwinforgeError(err) && err.code === 'NUMERIC_INVALID').toBe(true);
    expect(Array.from(src.v.dataSync())).toEqual([1, 2]);
    expect(opt.step).toBe(0);
    src.v.dispose();
    opt.dispose();
  });
});
