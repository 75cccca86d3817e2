import type { Rng, ScenarioEvent } from '@twinforge/core';
import { tf } from '@twinforge/tensor';
import type { SampleConfig } from '../config.js';
import type { EventTransformer } from '../model/event-transformer.js';
import { TimelineDecoder } from '../tokens/grammar.js';
import { PAD, type Vocabulary } from '../tokens/vocabulary.js';

/**
 * Picks one token from `logits` among the tokens `mask` allows: logits / temperature, the top k allowed ones kept
 * (k = 0: all), softmax, one uniform draw. Disallowed tokens have probability exactly 0, whatever the logits are,
 * which is what makes constrained decoding a guarantee rather than a tendency.
 */
export function pickToken(
  logits: Float32Array,
  offset: number,
  mask: Uint8Array,
  temperature: number,
  topK: number,
  rng: Rng,
): number {
  const V = mask.length;
  const ids: number[] = [];
  for (let v = 0; v < V; v++) if (mask[v] === 1) ids.push(v);
  if (ids.length === 1) return ids[0] as number;
  const score = (v: number) => {
    const x = (logits[offset + v] as number) / temperature;
    // A non-finite logit (diverged weights) must not break the guarantee: treat it as the lowest score.
    return Number.isFinite(x) ? x : -1e30;
  };
  let keep = ids;
  if (topK > 0 && topK < ids.length) keep = [...ids].sort((a, b) => score(b) - score(a)).slice(0, topK);
  let max = Number.NEGATIVE_INFINITY;
  for (const v of keep) max = Math.max(max, score(v));
  const w = keep.map((v) => Math.exp(score(v) - max));
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.uniform(0, total);
  for (let i = 0; i < keep.length; i++) {
    u -= w[i] as number;
    if (u <= 0) return keep[i] as number;
  }
  return keep[keep.length - 1] as number;
}

/**
 * Autoregressive sampling of one timeline per prefix (condition values, null = unknown), decoded in lockstep
 * batches: each step runs the network on the prefixes so far, reads the last position's logits once, and feeds each
 * unfinished timeline's TimelineDecoder the token picked under its mask. Stops at EOS or the maximum length.
 */
export function sampleTimelines(
  model: EventTransformer,
  vocab: Vocabulary,
  conditions: readonly (readonly (number | null)[])[],
  config: SampleConfig,
  rng: Rng,
): ScenarioEvent[][] {
  const out: ScenarioEvent[][] = [];
  for (let start = 0; start < conditions.length; start += config.batchSize) {
    const rows = conditions.slice(start, start + config.batchSize);
    const seqs = rows.map((r) => vocab.prefix(r));
    const decoders = rows.map(() => new TimelineDecoder(vocab, config.constrained));
    // State ids after each token (see openStates; prefix positions: the empty timeline's), for a network that takes them.
    const k = model.stateWidth;
    const states = decoders.map((d) => Array.from({ length: vocab.prefixLength }, () => d.stateIds()).flat());
    const mask = new Uint8Array(vocab.size);
    const limit = Math.min(vocab.maxLength, model.maxLength);
    for (let len = vocab.prefixLength; len < limit && decoders.some((d) => !d.done); len++) {
      const N = seqs.length;
      const input = new Int32Array(N * len);
      seqs.forEach((s, i) => {
        input.set(s, i * len);
      });
      const stateInput = model.usesOpenState ? new Int32Array(N * len * k) : undefined;
      if (stateInput) {
        states.forEach((s, i) => {
          stateInput.set(s, i * len * k);
        });
      }
      const last = tf.tidy(() => {
        const logits = model.logits(
          tf.tensor2d(input, [N, len], 'int32'),
          undefined,
          stateInput ? tf.tensor2d(stateInput, [N, len * k], 'int32') : undefined,
        );
        const rowsIdx = tf.tensor1d(
          Array.from({ length: N }, (_, i) => i * len + len - 1),
          'int32',
        );
        return tf.gather(logits, rowsIdx);
      });
      const values = last.dataSync() as Float32Array;
      last.dispose();
      decoders.forEach((d, i) => {
        const seq = seqs[i] as number[];
        const st = states[i] as number[];
        if (d.done) {
          seq.push(PAD);
          st.push(...d.stateIds());
          return;
        }
        d.allowed(mask);
        const token = pickToken(values, i * vocab.size, mask, config.temperature, config.topK, rng);
        d.push(token, rng);
        seq.push(token);
        st.push(...d.stateIds());
      });
    }
    for (const d of decoders) {
      // Reaching the length limit ends the timeline where it is (its complete events are all valid).
      out.push(d.events);
    }
  }
  return out;
}
