import type { Rng } from '@twinforge/core';
import { Dense, type Module, type NamedVariable, tf } from '@twinforge/tensor';
import { LayerNorm } from './layer-norm.js';
import { bmm, dropout, gelu } from './ops.js';

/**
 * One pre-LN transformer decoder block (GPT-2): h ← h + Attn(LN(h)), h ← h + MLP(LN(h)), causal multi-head
 * self-attention and a GELU MLP. Activations are kept as [B·T, d] rows so every projection is one XNNPACK product;
 * attention reshapes to [B, heads, T, d_head]. Q, K and V are three projections rather than one fused one because
 * splitting a fused [B, T, 3, H, dh] tensor needs a rank-5 transpose, which tfjs-wasm runs in a slow generic loop.
 */
export class DecoderBlock implements Module {
  readonly ln1: LayerNorm;
  readonly q: Dense;
  readonly k: Dense;
  readonly v: Dense;
  readonly proj: Dense;
  readonly ln2: LayerNorm;
  readonly fc: Dense;
  readonly out: Dense;

  constructor(
    readonly name: string,
    readonly dModel: number,
    readonly heads: number,
    ffn: number,
    layers: number,
    rng: Rng,
  ) {
    // GPT-2 initialisation: N(0, 0.02)-like fan-in uniform, residual projections scaled by 1/√(2·layers).
    const residual = { kind: 'uniform' as const, limit: Math.sqrt(3) * (0.02 / Math.sqrt(2 * layers)) };
    this.ln1 = new LayerNorm(`${name}/ln1`, dModel);
    this.q = new Dense(`${name}/q`, dModel, dModel, 'glorot-uniform', rng.split('q'));
    this.k = new Dense(`${name}/k`, dModel, dModel, 'glorot-uniform', rng.split('k'));
    this.v = new Dense(`${name}/v`, dModel, dModel, 'glorot-uniform', rng.split('v'));
    this.proj = new Dense(`${name}/proj`, dModel, dModel, residual, rng.split('proj'));
    this.ln2 = new LayerNorm(`${name}/ln2`, dModel);
    this.fc = new Dense(`${name}/fc`, dModel, ffn, 'glorot-uniform', rng.split('fc'));
    this.out = new Dense(`${name}/out`, ffn, dModel, residual, rng.split('out'));
  }

  /**
   * h: [B·T, d] rows of B sequences of length T; mask: [T, T] additive causal mask (0 or −1e9); with `drop`, residual
   * dropout on the attention and MLP outputs (training only).
   */
  apply(
    h: tf.Tensor2D,
    batch: number,
    length: number,
    mask: tf.Tensor2D,
    drop?: { readonly p: number; readonly rng: Rng },
  ): tf.Tensor2D {
    return tf.tidy(() => {
      const d = this.dModel;
      const H = this.heads;
      const dh = d / H;
      const x = this.ln1.apply(h);
      // [B·T, d] → [B, T, H, dh] → [B, H, T, dh]
      const heads = (p: Dense, perm: number[]) =>
        tf.transpose(tf.reshape(p.apply(x, 'linear'), [batch, length, H, dh]), perm) as tf.Tensor4D;
      const q = heads(this.q, [0, 2, 1, 3]);
      const kt = heads(this.k, [0, 2, 3, 1]);
      const v = heads(this.v, [0, 2, 1, 3]);
      const scores = tf.add(tf.mul(bmm(q, kt), 1 / Math.sqrt(dh)), mask);
      const att = tf.softmax(scores, -1) as tf.Tensor4D;
      const ctx = bmm(att, v); // [B, H, T, dh]
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [batch * length, d]) as tf.Tensor2D;
      const h1 = tf.add(h, dropout(this.proj.apply(merged, 'linear'), drop?.p ?? 0, drop?.rng)) as tf.Tensor2D;
      const m = this.out.apply(gelu(this.fc.apply(this.ln2.apply(h1), 'linear')), 'linear');
      return tf.add(h1, dropout(m, drop?.p ?? 0, drop?.rng)) as tf.Tensor2D;
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      ...this.ln1.parameters(),
      ...this.q.parameters(),
      ...this.k.parameters(),
      ...this.v.parameters(),
      ...this.proj.parameters(),
      ...this.ln2.parameters(),
      ...this.fc.parameters(),
      ...this.out.parameters(),
    ];
  }

  dispose(): void {
    for (const m of [this.ln1, this.q, this.k, this.v, this.proj, this.ln2, this.fc, this.out]) m.dispose();
  }
}
