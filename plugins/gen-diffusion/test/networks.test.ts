import { createRng } from '@twinforge/core';
import { tf } from '@twinforge/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Conv3x3,
  cosineSchedule,
  type Denoiser,
  ddimSampleBatch,
  ddimTimesteps,
  MlpDenoiser,
  sampleConfigSchema,
  UnetDenoiser,
} from '../src/index.js';
import { pixelShuffle, pixelUnshuffle } from '../src/nn/pixel-shuffle.js';
import { PreconditionedDenoiser } from '../src/nn/preconditioned.js';
import { backend } from './setup.js';

beforeAll(backend);

/** The 3×3 'same' convolution as nine shifted products: slow, obviously right, differentiable by tfjs itself. */
function referenceConv(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const p = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  let out: tf.Tensor = tf.zeros([n * h * wd, w.shape[3]]);
  for (let dy = 0; dy < 3; dy++) {
    for (let dx = 0; dx < 3; dx++) {
      const view = tf.reshape(tf.slice(p, [0, dy, dx, 0], [n, h, wd, c]), [n * h * wd, c]);
      const k = tf.reshape(tf.slice(w, [dy, dx, 0, 0], [1, 1, c, w.shape[3]]), [c, w.shape[3]]);
      out = tf.add(out, tf.matMul(view, k));
    }
  }
  return tf.reshape(tf.add(out, b), [n, h, wd, w.shape[3]]) as tf.Tensor4D;
}

describe('Conv3x3 (conv2d with a hand-written, wasm-friendly gradient)', () => {
  it('matches the shifted-product reference in value and in all three gradients', () => {
    const rng = createRng(5);
    const conv = new Conv3x3('c', 3, 4, 'uniform-fan-in', rng);
    const x = tf.tensor4d(rng.fillNormal(new Float32Array(2 * 5 * 6 * 3)), [2, 5, 6, 3]);
    const target = tf.tensor4d(rng.fillNormal(new Float32Array(2 * 5 * 6 * 4)), [2, 5, 6, 4]);
    const lossOf = (f: (x: tf.Tensor4D) => tf.Tensor4D) => (xx: tf.Tensor) =>
      tf.sum(tf.mul(f(xx as tf.Tensor4D), target)) as tf.Scalar;
    const ours = tf.variableGrads(() => lossOf((v) => conv.apply(v))(x), [conv.kernel, conv.bias]);
    const ref = tf.variableGrads(
      () => lossOf((v) => referenceConv(v, conv.kernel, conv.bias))(x),
      [conv.kernel, conv.bias],
    );
    expect(ours.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0] as number, 3);
    for (const v of [conv.kernel, conv.bias]) {
      const a = ours.grads[v.name]?.dataSync() as Float32Array;
      const b = ref.grads[v.name]?.dataSync() as Float32Array;
      for (const [i, g] of Array.from(a).entries()) expect(g).toBeCloseTo(b[i] as number, 3);
    }
    const dxOurs = tf
      .grad(lossOf((v) => conv.apply(v)))(x)
      .dataSync();
    const dxRef = tf
      .grad(lossOf((v) => referenceConv(v, conv.kernel, conv.bias)))(x)
      .dataSync();
    for (const [i, g] of Array.from(dxOurs).entries()) expect(g).toBeCloseTo(dxRef[i] as number, 3);
    conv.dispose();
  });
});

describe('pixel unshuffle', () => {
  it('groups 2×2 blocks into channels and pixelShuffle undoes it', () => {
    const x = tf.tensor2d(
      Float32Array.from({ length: 16 }, (_, k) => k),
      [1, 16],
    );
    const u = pixelUnshuffle(x, 4, 4, 2);
    expect(u.shape).toEqual([1, 2, 2, 4]);
    // Cell (0, 1) holds pixels (0, 2), (0, 3), (1, 2), (1, 3) = 2, 3, 6, 7.
    expect(Array.from(u.dataSync().slice(4, 8))).toEqual([2, 3, 6, 7]);
    expect(Array.from(pixelShuffle(u, 4, 4, 2).dataSync())).toEqual(Array.from(x.dataSync()));
  });
});

/** A network F = 0: the preconditioned output is then its skip term alone. */
const zeroNet = (): Denoiser => ({
  kind: 'mlp',
  selfConditioned: false,
  parameters: () => [],
  dispose() {},
  apply: (x) => tf.zerosLike(x),
});

describe('denoisers', () => {
  it('MLP and U-Net (with and without pixel unshuffle) map [B, H·W] to [B, H·W] and start near ε̂ = 0', () => {
    const rng = createRng(1);
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(3 * 64)), [3, 64]);
    const t = tf.tensor1d([0, 100, 299], 'int32');
    const c = tf.tensor2d(new Float32Array(3 * 5), [3, 5]);
    const nets: Denoiser[] = [
      new MlpDenoiser({ pixels: 64, timesteps: 300, condDim: 5, hidden: 32, blocks: 2, embDim: 16 }, rng.split('mlp')),
      new UnetDenoiser(
        { width: 8, height: 8, timesteps: 300, condDim: 5, channels: [4, 8], embDim: 16 },
        rng.split('unet'),
      ),
    ];
    for (const net of nets) {
      const y = net.apply(x, t, c);
      expect(y.shape).toEqual([3, 64]);
      const v = y.dataSync();
      expect(Math.max(...Array.from(v, Math.abs))).toBeLessThan(0.1);
      y.dispose();
      net.dispose();
    }
  });
  it('self-conditioned MLP and U-Net read the second map; none given = zeros; preconditioning passes it on', () => {
    const rng = createRng(2);
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(2 * 64)), [2, 64]);
    const est = tf.tensor2d(rng.fillNormal(new Float32Array(2 * 64)), [2, 64]);
    const zeros = tf.zerosLike(est) as tf.Tensor2D;
    const t = tf.tensor1d([10, 200], 'int32');
    const c = tf.tensor2d(new Float32Array(2 * 5), [2, 5]);
    const nets: Denoiser[] = [
      new MlpDenoiser(
        { pixels: 64, timesteps: 300, condDim: 5, hidden: 32, blocks: 2, embDim: 16, selfCondition: true },
        rng.split('mlp'),
      ),
      new UnetDenoiser(
        {
          width: 8,
          height: 8,
          timesteps: 300,
          condDim: 5,
          channels: [4, 8],
          embDim: 16,
          patch: 2,
          selfCondition: true,
        },
        rng.split('unet'),
      ),
    ];
    const sched = cosineSchedule(300);
    for (const inner of nets) {
      expect(inner.selfConditioned).toBe(true);
      // Raise the near-zero output layers so that the inputs show in the output.
      for (const v of inner.parameters()) v.variable.assign(tf.mul(v.variable, 50));
      const out = (net: Denoiser, sc?: tf.Tensor2D) => Array.from(net.apply(x, t, c, sc).dataSync());
      expect(out(inner, est)).not.toEqual(out(inner, zeros));
      expect(out(inner)).toEqual(out(inner, zeros));
      const pre = new PreconditionedDenoiser(inner, sched, 0.3, -0.8);
      expect(pre.selfConditioned).toBe(true);
      expect(out(pre, est)).not.toEqual(out(pre, zeros));
      expect(out(pre)).toEqual(out(pre, zeros));
      pre.dispose();
    }
    tf.dispose([x, est, zeros, t, c]);
  });

  it('preconditioning: with F = 0 the output is the best linear estimate σ·x/(a²s² + σ²)', () => {
    const sched = cosineSchedule(300);
    const p = new PreconditionedDenoiser(zeroNet(), sched, 0.5);
    const y = p.apply(tf.ones([1, 2]) as tf.Tensor2D, tf.tensor1d([150], 'int32'), tf.zeros([1, 0]) as tf.Tensor2D);
    const ab = sched.alphaBars[150] as number;
    expect(y.dataSync()[0]).toBeCloseTo(Math.sqrt(1 - ab) / (ab * 0.25 + (1 - ab)), 5);
  });
});

describe('preconditioning of non-centred data', () => {
  // The network's regression target F* = (ε − c_skip·y)/c_out should have mean 0 and variance 1 at every noise level
  // when the data are μ + s·n: that is what the scaling is for. Without −a·μ its mean drifts by up to ~σ·a·μ/c_out.
  const targetMoments = (mu: number, s: number, dataMean: number, t: number) => {
    const sched = cosineSchedule(300);
    const p = new PreconditionedDenoiser(zeroNet(), sched, s, dataMean);
    const n = 4000;
    const rng = createRng(t + 1);
    const eps = rng.fillNormal(new Float32Array(n));
    const d = rng.fillNormal(new Float32Array(n));
    const ab = sched.alphaBars[t] as number;
    const xt = Float32Array.from(d, (v, i) => Math.sqrt(ab) * (mu + s * v) + Math.sqrt(1 - ab) * (eps[i] as number));
    const skip = p.apply(tf.tensor2d(xt, [1, n]), tf.tensor1d([t], 'int32'), tf.zeros([1, 0]) as tf.Tensor2D);
    const cOut = (Math.sqrt(ab) * s) / Math.sqrt(ab * s * s + 1 - ab);
    const f = Array.from(skip.dataSync(), (v, i) => ((eps[i] as number) - v) / cOut);
    skip.dispose();
    const mean = f.reduce((a, b) => a + b, 0) / n;
    const variance = f.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    return { mean, variance };
  };
  it('with the data mean, F* has mean ≈ 0 and variance ≈ 1 at low, mid and high noise, for data far from zero-mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.95, max: 0.95, noNaN: true }),
        fc.double({ min: 0.1, max: 0.6, noNaN: true }),
        fc.constantFrom(10, 150, 290),
        (mu, s, t) => {
          const m = targetMoments(mu, s, mu, t);
          return Math.abs(m.mean) < 0.1 && Math.abs(m.variance - 1) < 0.15;
        },
      ),
      { numRuns: 25 },
    );
  });
  it("without it (EDM zero-mean assumption) the target is biased on the jamming maps' scale (μ −0.9, s 0.24)", () => {
    expect(Math.abs(targetMoments(-0.9, 0.24, 0, 100).mean)).toBeGreaterThan(1);
  });
});

describe('DDIM sampling', () => {
  it('with the exact ε of a one-map dataset it returns that map (known answer)', () => {
    const sched = cosineSchedule(300);
    const target = Float32Array.from({ length: 9 }, (_, k) => (k % 3) / 2 - 0.5);
    const oracle: Denoiser = {
      kind: 'mlp',
      selfConditioned: false,
      parameters: () => [],
      dispose() {},
      apply: (x, t) =>
        tf.tidy(() => {
          const ab = tf.reshape(tf.gather(tf.tensor1d(Float32Array.from(sched.alphaBars)), t), [-1, 1]);
          return tf.div(
            tf.sub(x, tf.mul(tf.sqrt(ab), tf.tensor2d(target, [1, 9]))),
            tf.sqrt(tf.sub(1, ab)),
          ) as tf.Tensor2D;
        }),
    };
    for (const eta of [0, 1]) {
      const out = ddimSampleBatch(
        oracle,
        sched,
        [],
        9,
        [[], [], []],
        {
          steps: 50,
          guidance: 1,
          guidanceInterval: [0, 1],
          eta,
          clipDenoised: true,
          batchSize: 8,
        },
        createRng(eta),
      );
      for (let i = 0; i < 27; i++) expect(out[i]).toBeCloseTo(target[i % 9] as number, 3);
    }
  });

  it('guides only inside guidanceInterval: two-row calls there, one-row calls elsewhere, no guidance = guidance 1', () => {
    const sched = cosineSchedule(300);
    const specs = [{ name: 'jammers', column: 'jammer_count', levels: 2 }];
    const calls: { t: number; rows: number }[] = [];
    // ε depends on the condition (its "known" slot), so guided and unguided steps give different maps.
    const oracle: Denoiser = {
      kind: 'mlp',
      selfConditioned: false,
      parameters: () => [],
      dispose() {},
      apply: (x, t, cond) => {
        calls.push({ t: (t.dataSync() as Int32Array)[0] as number, rows: x.shape[0] });
        return tf.tidy(() => tf.add(tf.mul(x, 0.5), tf.mul(tf.slice(cond, [0, 1], [-1, 1]), 0.2))) as tf.Tensor2D;
      },
    };
    const base = { steps: 20, eta: 0.5, clipDenoised: false, batchSize: 8 };
    const sample = (cfg: Record<string, unknown>) =>
      Array.from(
        ddimSampleBatch(
          oracle,
          sched,
          specs,
          4,
          [[1], [0], [1]],
          sampleConfigSchema.parse({ ...base, ...cfg }),
          createRng(7),
        ),
      );
    const times = ddimTimesteps(300, 20);
    calls.length = 0;
    sample({ guidance: 3, guidanceInterval: [0.3, 0.6] });
    expect(calls.map((c) => c.t)).toEqual(times);
    for (const c of calls) expect(c.rows).toBe(c.t / 299 >= 0.3 && c.t / 299 <= 0.6 ? 6 : 3);
    expect(calls.some((c) => c.rows === 6)).toBe(true);
    // An interval between two consecutive sampled steps guides none of them: the same draws as guidance 1.
    const gap = [((times[3] as number) + 1) / 299, ((times[2] as number) - 1) / 299];
    expect(sample({ guidance: 3, guidanceInterval: gap })).toEqual(sample({ guidance: 1 }));
    expect(sample({ guidance: 3, guidanceInterval: [0.3, 0.6] })).not.toEqual(sample({ guidance: 1 }));
    // The default interval is every step.
    expect(sample({ guidance: 3 })).toEqual(sample({ guidance: 3, guidanceInterval: [0, 1] }));
    expect(() => sampleConfigSchema.parse({ guidanceInterval: [0.6, 0.3] })).toThrow(/lo <= hi/);
  });
});
