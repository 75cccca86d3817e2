import { createRng, isTwinforgeError } from '@twinforge/core';
import { tf } from '@twinforge/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnetDenoiser } from '../src/index.js';
import { Attention2d } from '../src/nn/attention2d.js';
import { backend } from './setup.js';

beforeAll(backend);

/** An attention block whose output projection is random (a fresh one is the identity by design). */
function trainedLike(seed: number): Attention2d {
  const rng = createRng(seed);
  const a = new Attention2d('a', 8, 2, rng.split('block'));
  const w = a.out.parameters()[0]?.variable as tf.Variable;
  w.assign(tf.tensor(rng.split('w').fillNormal(new Float32Array(w.size)), w.shape).mul(0.5));
  return a;
}

const input = (seed: number) => tf.tensor4d(createRng(seed).fillNormal(new Float32Array(2 * 4 * 4 * 8)), [2, 4, 4, 8]);

describe('Attention2d', () => {
  it('starts as (nearly) the identity', () => {
    const a = new Attention2d('a', 8, 2, createRng(1));
    const x = input(2);
    const y = a.apply(x);
    expect(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]).toBeLessThan(1e-2);
    a.dispose();
  });
  it('is equivariant to any permutation of the cells (no positional term), property over random permutations', () => {
    const a = trainedLike(3);
    const x = input(4);
    const y = a.apply(x).reshape([2, 16, 8]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const perm = createRng(seed).permutation(16);
        const idx = tf.tensor1d(perm, 'int32');
        const xp = tf.gather(x.reshape([2, 16, 8]), idx, 1).reshape([2, 4, 4, 8]) as tf.Tensor4D;
        const yp = a.apply(xp).reshape([2, 16, 8]);
        const diff = tf.max(tf.abs(tf.sub(yp, tf.gather(y, idx, 1)))).dataSync()[0] as number;
        tf.dispose([idx, xp, yp]);
        return diff < 1e-4;
      }),
      { numRuns: 25 },
    );
    a.dispose();
  });
  it('mixes the whole map: changing one corner cell changes the opposite corner', () => {
    const a = trainedLike(5);
    const x = input(6);
    // A random (not constant: the per-token standardisation removes constant shifts) change of cell (0, 0) only.
    const cell = tf.oneHot(tf.tensor1d([0], 'int32'), 16).reshape([1, 4, 4, 1]);
    const change = tf.tensor(createRng(8).fillNormal(new Float32Array(8)), [1, 1, 1, 8]).mul(3);
    const bumped = tf.add(x, tf.mul(cell, change)) as tf.Tensor4D;
    const far = (t: tf.Tensor4D) => tf.slice(a.apply(t), [0, 3, 3, 0], [1, 1, 1, 8]);
    expect(tf.max(tf.abs(tf.sub(far(bumped), far(x)))).dataSync()[0]).toBeGreaterThan(1e-3);
    a.dispose();
  });
  it('refuses a head count that does not divide the channels (typed error)', () => {
    expect(() => new Attention2d('a', 8, 3, createRng(1))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    try {
      new Attention2d('a', 8, 3, createRng(1));
    } catch (e) {
      expect(isTwinforgeError(e)).toBe(true);
    }
  });
  it('a U-Net with attention maps [B, H·W] to [B, H·W], starts near ε̂ = 0 and trains its attention weights', () => {
    const rng = createRng(7);
    const net = new UnetDenoiser(
      { width: 8, height: 8, timesteps: 300, condDim: 2, channels: [4, 8], embDim: 16, attentionHeads: 2 },
      rng,
    );
    const x = tf.tensor2d(rng.split('x').fillNormal(new Float32Array(3 * 64)), [3, 64]);
    const t = tf.tensor1d([0, 100, 299], 'int32');
    const c = tf.zeros([3, 2]) as tf.Tensor2D;
    const y = net.apply(x, t, c);
    expect(y.shape).toEqual([3, 64]);
    expect(tf.max(tf.abs(y)).dataSync()[0]).toBeLessThan(0.1);
    const names = net.parameters().map((p) => p.name);
    expect(names.filter((n) => n.startsWith('mid/attention/')).length).toBe(8);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.apply(x, t, c))) as tf.Scalar);
    const g = grads[net.attention?.out.parameters()[0]?.variable.name as string];
    expect(g && tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    net.dispose();
  });
});
