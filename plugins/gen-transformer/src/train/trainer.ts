import { type Rng, TwinforgeError } from '@twinforge/core';
import { getFlatWeights, setFlatWeights, TensorAdam, tf } from '@twinforge/tensor';
import type { TrainConfig } from '../config.js';
import type { EventTransformer } from '../model/event-transformer.js';
import { PAD } from '../tokens/vocabulary.js';

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Mean next-token cross-entropy (nats per event token) over the last `logEvery` steps. */
  readonly loss: number;
  /** Cross-entropy on the validation sequences, when given (of the averaged weights when emaDecay > 0). */
  readonly validationLoss?: number;
  readonly lr: number;
  readonly elapsed_s: number;
}

export interface TrainResult {
  readonly steps: number;
  readonly finalLoss: number;
  /** Step whose weights were kept (the best validation loss), when validating with keepBest. */
  readonly bestStep?: number;
  readonly bestValidationLoss?: number;
  readonly history: readonly TrainProgress[];
  readonly elapsed_s: number;
}

/** Condition token positions and how to blank them (the group's "unknown" token). */
export interface PrefixDropout {
  readonly positions: readonly number[];
  readonly unknownTokens: readonly number[];
}

/**
 * Mean next-token cross-entropy of a batch of token sequences, counting only targets at or after `firstTarget`
 * (the first event token: the prefix is given at sampling time, so it is not predicted) and not PAD.
 */
export function sequenceLoss(
  model: EventTransformer,
  batch: readonly number[][],
  firstTarget: number,
  maskOf?: (seq: readonly number[]) => Uint8Array,
  drop?: { readonly p: number; readonly rng: Rng },
  stateOf?: (seq: readonly number[]) => Int32Array,
): tf.Scalar {
  const B = batch.length;
  const L = Math.max(...batch.map((s) => s.length)) - 1;
  const V = model.vocabSize;
  const input = new Int32Array(B * L);
  const target = new Int32Array(B * L);
  const weight = new Float32Array(B * L);
  // −1e9 on the logits of tokens decoding would not allow (see decodingMasks); rows past a sequence's end stay 0.
  const bias = maskOf ? new Float32Array(B * L * V) : undefined;
  if (bias) {
    batch.forEach((seq, b) => {
      const m = maskOf?.(seq) as Uint8Array;
      const rows = Math.min(L, seq.length - 1);
      for (let k = 0; k < rows * V; k++) if (m[k] === 0) bias[b * L * V + k] = -1e9;
    });
  }
  const k = model.stateWidth;
  const states = stateOf ? new Int32Array(B * L * k) : undefined;
  if (states && stateOf) {
    batch.forEach((seq, b) => {
      states.set(stateOf(seq).subarray(0, L * k), b * L * k);
    });
  }
  batch.forEach((seq, b) => {
    for (let i = 0; i < L; i++) {
      input[b * L + i] = i < seq.length ? (seq[i] as number) : PAD;
      const next = i + 1 < seq.length ? (seq[i + 1] as number) : PAD;
      target[b * L + i] = next;
      weight[b * L + i] = i + 1 >= firstTarget && next !== PAD ? 1 : 0;
    }
  });
  return tf.tidy(() => {
    const raw = model.logits(
      tf.tensor2d(input, [B, L], 'int32'),
      drop,
      states ? tf.tensor2d(states, [B, L * k], 'int32') : undefined,
    );
    const logits = bias ? tf.add(raw, tf.tensor2d(bias, [B * L, V])) : raw;
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(target, 'int32'), model.vocabSize)), 1);
    const w = tf.tensor1d(weight);
    return tf.div(
      tf.neg(tf.sum(tf.mul(picked, w))),
      Math.max(
        1,
        weight.reduce((a, v) => a + v, 0),
      ),
    ) as tf.Scalar;
  });
}

/** Mean loss over `sequences` in batches of 64 (no gradient). */
export function evaluationLoss(
  model: EventTransformer,
  sequences: readonly number[][],
  firstTarget: number,
  maskOf?: (seq: readonly number[]) => Uint8Array,
  stateOf?: (seq: readonly number[]) => Int32Array,
): number {
  let total = 0;
  for (let i = 0; i < sequences.length; i += 64) {
    const batch = sequences.slice(i, i + 64);
    const l = sequenceLoss(model, batch, firstTarget, maskOf, undefined, stateOf);
    total += (l.dataSync()[0] as number) * batch.length;
    l.dispose();
  }
  return total / Math.max(1, sequences.length);
}

/** Sequence indices sorted by length and cut into buckets of about 4 batches each. */
function lengthBuckets(order: readonly number[], sequences: readonly number[][], batch: number): number[][] {
  const sorted = [...order].sort((x, y) => (sequences[x] as number[]).length - (sequences[y] as number[]).length);
  const size = 4 * batch;
  const out: number[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}

/** Bucket holding the k-th sequence in sorted order. */
function bucketOf(buckets: readonly number[][], k: number): number {
  let i = 0;
  let left = k;
  while (i < buckets.length - 1 && left >= (buckets[i] as number[]).length) left -= (buckets[i++] as number[]).length;
  return i;
}

/**
 * Teacher-forced next-token training: batches drawn uniformly from `sequences` (seeded), each condition token
 * replaced by its "unknown" token with probability pDropCondition, AdamW with global-norm clipping and a linear
 * learning-rate decay (optionally batches from length buckets); with emaDecay > 0 the weights' moving average is
 * what gets validated, kept and returned.
 */
export function trainTransformer(
  model: EventTransformer,
  sequences: readonly number[][],
  firstTarget: number,
  /** Re-encodes sequence i for one draw (augmentation); default: the sequence as given. */
  redraw: ((i: number, rng: Rng) => number[]) | undefined,
  dropout: PrefixDropout,
  config: TrainConfig,
  rng: Rng,
  options: {
    signal?: AbortSignal;
    onProgress?: (p: TrainProgress) => void;
    validation?: readonly number[][];
    /** Decoding masks of a sequence, for constrained training (see decodingMasks). */
    maskOf?: (seq: readonly number[]) => Uint8Array;
    /** Open states of a sequence (see openStates), for a model that uses them. */
    stateOf?: (seq: readonly number[]) => Int32Array;
  } = {},
): TrainResult {
  if (sequences.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'transformer training needs sequences');
  const opt = new TensorAdam(model, { lr: config.lr, clipNorm: config.clipNorm, weightDecay: config.weightDecay });
  const order = sequences.map((_, i) => i);
  const buckets = config.lengthBuckets ? lengthBuckets(order, sequences, config.batchSize) : [order];
  const augmentRng = rng.split('augment');
  const dropRng = rng.split('dropout');
  const draws = rng.split('batches');
  const drop = rng.split('condition-dropout');
  const history: TrainProgress[] = [];
  const started = performance.now();
  let window = 0;
  let n = 0;
  let last = Number.NaN;
  const validation = options.validation && options.validation.length > 0 ? options.validation : undefined;
  let best: { step: number; loss: number; weights: Float32Array } | undefined;
  // Weight average (see TrainConfig.emaDecay), kept as a flat vector: 140k floats per step is cheap next to a step.
  const ema = config.emaDecay > 0 ? getFlatWeights(model) : undefined;
  try {
    for (let step = 0; step < config.steps; step++) {
      if (options.signal?.aborted) break;
      const lr = config.lr * (1 - (1 - config.finalLrFraction) * (step / Math.max(1, config.steps - 1)));
      opt.lr = lr;
      // A bucket with probability ∝ its size, then members uniformly: every sequence is equally likely (with length
      // buckets, a batch pads to about its own length; attention costs T², the longest timelines are 3× the mean).
      const bucket = buckets[bucketOf(buckets, draws.int(0, sequences.length - 1))] as number[];
      const batch = Array.from({ length: config.batchSize }, () => {
        const i = bucket[draws.int(0, bucket.length - 1)] as number;
        const seq = redraw ? redraw(i, augmentRng) : [...(sequences[i] as number[])];
        dropout.positions.forEach((p, j) => {
          if (drop.bernoulli(config.pDropCondition)) seq[p] = dropout.unknownTokens[j] as number;
        });
        return seq;
      });
      const residual = config.dropout > 0 ? { p: config.dropout, rng: dropRng } : undefined;
      last = opt.minimize(() =>
        sequenceLoss(model, batch, firstTarget, options.maskOf, residual, options.stateOf),
      ).loss;
      window += last;
      n++;
      if (ema) {
        const w = getFlatWeights(model);
        const d = Math.min(config.emaDecay, (1 + step) / (10 + step));
        for (let i = 0; i < w.length; i++) ema[i] = d * (ema[i] as number) + (1 - d) * (w[i] as number);
      }
      if ((step + 1) % config.logEvery === 0 || step === config.steps - 1) {
        // Validate the averaged weights (swapped in and out again).
        const raw = ema && validation ? getFlatWeights(model) : undefined;
        if (ema && raw) setFlatWeights(model, ema);
        const vl = validation
          ? evaluationLoss(model, validation, firstTarget, options.maskOf, options.stateOf)
          : undefined;
        if (raw) setFlatWeights(model, raw);
        if (vl !== undefined && config.keepBest && (best === undefined || vl < best.loss)) {
          best = { step: step + 1, loss: vl, weights: ema ? ema.slice() : getFlatWeights(model) };
        }
        const p = {
          step: step + 1,
          steps: config.steps,
          loss: window / n,
          ...(vl === undefined ? {} : { validationLoss: vl }),
          lr,
          elapsed_s: (performance.now() - started) / 1000,
        };
        history.push(p);
        options.onProgress?.(p);
        window = 0;
        n = 0;
      }
    }
  } finally {
    opt.dispose();
  }
  if (best) setFlatWeights(model, best.weights);
  else if (ema) setFlatWeights(model, ema);
  return {
    steps: history.at(-1)?.step ?? 0,
    finalLoss: history.at(-1)?.loss ?? last,
    ...(best ? { bestStep: best.step, bestValidationLoss: best.loss } : {}),
    history,
    elapsed_s: (performance.now() - started) / 1000,
  };
}
