import { type Rng, TwinforgeError } from '@twinforge/core';
import { Dense, type Module, makeVariable, type NamedVariable, tf } from '@twinforge/tensor';
import { z } from 'zod';
import { DecoderBlock } from './block.js';
import { LayerNorm } from './layer-norm.js';
import { bmm, dropout } from './ops.js';

export const transformerConfigSchema = z
  .strictObject({
    dModel: z.number().int().min(8).default(64),
    heads: z.number().int().min(1).default(4),
    layers: z.number().int().min(1).max(12).default(2),
    ffn: z.number().int().min(8).default(256),
    /**
     * Add an embedding of the decoder's open state (jammers on × nodes down, see TimelineDecoder.openState) to every
     * position's input. Without it the 140k-parameter model under-produced closing events (jammer-off, node-recover)
     * by 10-25 % and timelines came out 6 % short.
     */
    openState: z.boolean().default(true),
  })
  .refine((c) => c.dModel % c.heads === 0, { message: 'dModel must be divisible by heads', path: ['heads'] });
export type TransformerConfig = z.output<typeof transformerConfigSchema>;
export type TransformerConfigInput = z.input<typeof transformerConfigSchema>;

/**
 * A decoder-only transformer (GPT-2 layout: token + learned position embeddings, pre-LN blocks, final LN, linear
 * head) over event tokens. `logits(tokens)` returns next-token logits for every position.
 */
export class EventTransformer implements Module {
  readonly tokenEmbedding: tf.Variable<tf.Rank.R2>;
  readonly positionEmbedding: tf.Variable<tf.Rank.R2>;
  /** Open-state embedding [stateCount, d] (config.openState and stateCount > 0). */
  readonly stateEmbedding: tf.Variable<tf.Rank.R2> | undefined;
  readonly blocks: readonly DecoderBlock[];
  readonly lnF: LayerNorm;
  readonly head: Dense;

  constructor(
    readonly config: TransformerConfig,
    readonly vocabSize: number,
    readonly maxLength: number,
    rng: Rng,
    /** Rows of the state embedding: ids the caller passes to `logits` are below this (0: no state input). */
    readonly stateCount = 0,
    /** State ids per token (their embeddings are summed). */
    readonly stateWidth = 1,
  ) {
    const d = config.dModel;
    const normal = (rows: number, r: Rng) => {
      // N(0, 0.02) embeddings, drawn from the seeded Rng.
      const w = r.fillNormal(new Float32Array(rows * d), 0, 0.02);
      return makeVariable(tf.tensor2d(w, [rows, d]));
    };
    this.tokenEmbedding = normal(vocabSize, rng.split('wte'));
    this.positionEmbedding = normal(maxLength, rng.split('wpe'));
    this.stateEmbedding = config.openState && stateCount > 0 ? normal(stateCount, rng.split('wse')) : undefined;
    this.blocks = Array.from(
      { length: config.layers },
      (_, i) => new DecoderBlock(`block${i}`, d, config.heads, config.ffn, config.layers, rng.split(`block${i}`)),
    );
    this.lnF = new LayerNorm('lnF', d);
    this.head = new Dense('head', d, vocabSize, 'glorot-uniform', rng.split('head'));
  }

  /** Whether `logits` needs the open states of the tokens. */
  get usesOpenState(): boolean {
    return this.stateEmbedding !== undefined;
  }

  /**
   * tokens: int32 [B, T] (T ≤ maxLength) → logits [B·T, V], row b·T + i predicting token i + 1 of sequence b. `drop`
   * applies embedding and residual dropout (GPT-2's regularisation; training only). `states`: int32 [B, T·stateWidth],
   * the decoder's state ids after each token (see grammar.ts openStates), required when usesOpenState.
   */
  logits(tokens: tf.Tensor2D, drop?: { readonly p: number; readonly rng: Rng }, states?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [b, t] = tokens.shape;
      const d = this.config.dModel;
      const pos = tf.slice(this.positionEmbedding, [0, 0], [t, d]);
      // Embedding lookup as one-hot × table: tf.gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const oneHot = tf.oneHot(tf.reshape(tokens, [b * t]) as tf.Tensor1D, this.vocabSize).toFloat() as tf.Tensor2D;
      let rowsEmb = bmm(oneHot, this.tokenEmbedding as tf.Tensor2D);
      if (this.stateEmbedding) {
        if (!states) throw new TwinforgeError('INVALID_ARGUMENT', 'this event transformer needs the open states');
        // Multi-hot over the stateWidth ids of each token × the table: the sum of their embeddings.
        const k = this.stateWidth;
        const ids = tf.reshape(states, [b * t * k]) as tf.Tensor1D;
        const hot = tf.sum(tf.reshape(tf.oneHot(ids, this.stateCount).toFloat(), [b * t, k, this.stateCount]), 1);
        rowsEmb = tf.add(rowsEmb, bmm(hot as tf.Tensor2D, this.stateEmbedding as tf.Tensor2D));
      }
      const tok = tf.reshape(rowsEmb, [b, t, d]);
      const emb = tf.reshape(tf.add(tok, tf.reshape(pos, [1, t, d])), [b * t, d]);
      const maskData = new Float32Array(t * t);
      for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) maskData[i * t + j] = -1e9;
      const mask = tf.tensor2d(maskData, [t, t]);
      let h = dropout(emb as tf.Tensor2D, drop?.p ?? 0, drop?.rng);
      for (const blk of this.blocks) h = blk.apply(h, b, t, mask, drop);
      return this.head.apply(this.lnF.apply(h), 'linear');
    });
  }

  parameters(): readonly NamedVariable[] {
    return [
      { name: 'wte', variable: this.tokenEmbedding },
      { name: 'wpe', variable: this.positionEmbedding },
      ...(this.stateEmbedding ? [{ name: 'wse', variable: this.stateEmbedding }] : []),
      ...this.blocks.flatMap((b) => b.parameters()),
      ...this.lnF.parameters(),
      ...this.head.parameters(),
    ];
  }

  dispose(): void {
    this.tokenEmbedding.dispose();
    this.positionEmbedding.dispose();
    this.stateEmbedding?.dispose();
    for (const b of this.blocks) b.dispose();
    this.lnF.dispose();
    this.head.dispose();
  }
}
