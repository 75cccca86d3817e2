import { createRng, type Rng, type ScenarioEvent, TwinforgeError, validateConfig } from '@twinforge/core';
import {
  countParameters,
  loadWeights,
  modelCheckpointSchema,
  readCheckpointMetadata,
  requireBackend,
  saveWeights,
  type WeightsManifest,
} from '@twinforge/tensor';
import { z } from 'zod';
import { type SampleConfigInput, sampleConfigSchema, type TrainConfigInput, trainConfigSchema } from './config.js';
import { EventTransformer, transformerConfigSchema } from './model/event-transformer.js';
import { sampleTimelines } from './sample/sampler.js';
import { encodeTimeline } from './tokens/encode.js';
import { decodingMasks, openStateCount, openStates, openStateWidth } from './tokens/grammar.js';
import { Vocabulary, vocabularyConfigSchema } from './tokens/vocabulary.js';
import { meshSymmetries } from './train/augment.js';
import { evaluationLoss, type TrainProgress, type TrainResult, trainTransformer } from './train/trainer.js';

export const eventModelConfigSchema = z.strictObject({
  vocabulary: vocabularyConfigSchema,
  transformer: transformerConfigSchema.default({ dModel: 64, heads: 4, layers: 2, ffn: 256, openState: true }),
});
export type EventModelConfigInput = z.input<typeof eventModelConfigSchema>;
export type EventModelConfig = z.output<typeof eventModelConfigSchema>;

/** Timelines with the condition values (null = unknown) of the scenario each came from. */
export interface TimelineExamples {
  readonly timelines: readonly (readonly ScenarioEvent[])[];
  readonly conditions: readonly (readonly (number | null)[])[];
}

const CHECKPOINT_KIND = 'twinforge-event-transformer';
// 2: the transformer config gained openState (default on, with its own embedding): v1 weights lack that table and
// load with openState off.
const CHECKPOINT_VERSION = 2;
/** What `save` stores beside the weights; `config` is validated separately, naming its fields. */
const checkpointMetadataSchema = modelCheckpointSchema(CHECKPOINT_KIND, [1, CHECKPOINT_VERSION]);

/**
 * Seed 003's transformer for event sequences: a decoder-only transformer over event tokens with a prefix of scenario
 * conditions, trained by next-token prediction, sampled with temperature and top-k under constrained decoding (every
 * sampled timeline is valid, see tokens/grammar.ts); saved as a @twinforge/tensor checkpoint with its vocabulary.
 */
export class EventSequenceModel {
  readonly config: EventModelConfig;
  readonly vocab: Vocabulary;
  readonly network: EventTransformer;
  #trained: TrainResult | undefined;
  #meta: Record<string, unknown> = {};

  private constructor(config: EventModelConfig, rng: Rng) {
    this.config = config;
    this.vocab = new Vocabulary(config.vocabulary);
    this.network = new EventTransformer(
      config.transformer,
      this.vocab.size,
      this.vocab.maxLength,
      rng,
      openStateCount(this.vocab),
      openStateWidth(this.vocab),
    );
  }

  static create(config: EventModelConfigInput, rng: Rng): EventSequenceModel {
    requireBackend('an event transformer');
    return new EventSequenceModel(
      validateConfig(eventModelConfigSchema, config, 'event model config'),
      rng.split('init'),
    );
  }

  get parameterCount(): number {
    return countParameters(this.network);
  }

  get metadata(): Readonly<Record<string, unknown>> {
    return this.#meta;
  }

  set metadata(value: Record<string, unknown>) {
    this.#meta = { ...value };
  }

  get lastTraining(): TrainResult | undefined {
    return this.#trained;
  }

  /** Token sequences of the examples (what training sees). */
  encode(examples: TimelineExamples): number[][] {
    if (examples.timelines.length !== examples.conditions.length) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `${examples.timelines.length} timelines but ${examples.conditions.length} condition rows`,
      );
    }
    return examples.timelines.map((tl, i) =>
      encodeTimeline(this.vocab, tl, examples.conditions[i] as (number | null)[]),
    );
  }

  train(
    examples: TimelineExamples,
    config: TrainConfigInput,
    rng: Rng,
    options: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void; validation?: TimelineExamples } = {},
  ): TrainResult {
    const cfg = validateConfig(trainConfigSchema, config, 'transformer train config');
    const sequences = this.encode(examples);
    const validation = options.validation ? this.encode(options.validation) : undefined;
    const conds = this.config.vocabulary.conditions;
    const augment = cfg.augment === 'mesh-symmetries' ? meshSymmetries(this.config.vocabulary) : undefined;
    const redraw = augment
      ? (i: number, r: Rng) =>
          encodeTimeline(
            this.vocab,
            augment(examples.timelines[i] as readonly ScenarioEvent[], r),
            examples.conditions[i] as (number | null)[],
          )
      : undefined;
    const maskOf = cfg.constrainedTraining ? (seq: readonly number[]) => this.masks(seq) : undefined;
    const stateOf = this.#stateOf();
    this.#trained = trainTransformer(
      this.network,
      sequences,
      this.vocab.prefixLength,
      redraw,
      {
        positions: conds.map((_, j) => 1 + j),
        unknownTokens: conds.map((c) => this.vocab.token(`cond:${c.name}`, c.levels)),
      },
      cfg,
      rng,
      {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(validation ? { validation } : {}),
        ...(maskOf ? { maskOf } : {}),
        ...(stateOf ? { stateOf } : {}),
      },
    );
    return this.#trained;
  }

  /** Open states of an encoded timeline, when the network takes them. */
  #stateOf(): ((seq: readonly number[]) => Int32Array) | undefined {
    return this.network.usesOpenState ? (seq) => openStates(this.vocab, seq) : undefined;
  }

  /**
   * Decoding masks of an encoded timeline (constrained; syntax-only when the timeline itself breaks a rule).
   */
  masks(seq: readonly number[]): Uint8Array {
    return decodingMasks(this.vocab, seq, true) ?? (decodingMasks(this.vocab, seq, false) as Uint8Array);
  }

  /**
   * Mean next-token cross-entropy (nats) of the examples' event tokens under the model (over the tokens constrained
   * decoding allows, unless `constrained` is false), e.g. on held-out data.
   */
  loss(examples: TimelineExamples, constrained = true): number {
    return evaluationLoss(
      this.network,
      this.encode(examples),
      this.vocab.prefixLength,
      constrained ? (seq) => this.masks(seq) : undefined,
      this.#stateOf(),
    );
  }

  /** One timeline per condition row (null = unknown). */
  sample(
    conditions: readonly (readonly (number | null)[])[],
    rng: Rng,
    config: SampleConfigInput = {},
  ): ScenarioEvent[][] {
    const cfg = validateConfig(sampleConfigSchema, config, 'transformer sample config');
    for (const [i, row] of conditions.entries()) {
      if (row.length !== this.config.vocabulary.conditions.length) {
        throw new TwinforgeError('INVALID_ARGUMENT', `condition row ${i} has ${row.length} values`);
      }
    }
    return sampleTimelines(this.network, this.vocab, conditions, cfg, rng);
  }

  async save(dir: string): Promise<WeightsManifest> {
    return saveWeights(
      dir,
      { transformer: this.network },
      {
        metadata: {
          kind: CHECKPOINT_KIND,
          version: CHECKPOINT_VERSION,
          config: this.config,
          training: this.#trained ? { steps: this.#trained.steps, finalLoss: this.#trained.finalLoss } : null,
          extra: this.#meta,
        },
      },
    );
  }

  static async load(dir: string): Promise<EventSequenceModel> {
    requireBackend('an event transformer');
    const meta = await readCheckpointMetadata(
      dir,
      checkpointMetadataSchema,
      `a ${CHECKPOINT_KIND} v1/v${CHECKPOINT_VERSION}`,
    );
    // v1 predates openState, whose default is now on: its networks have no open-state table, so they load without.
    const raw = meta.config as { transformer?: Record<string, unknown> } | undefined;
    const stored = meta.version === 1 ? { ...raw, transformer: { ...raw?.transformer, openState: false } } : raw;
    const config = validateConfig(eventModelConfigSchema, stored, `${dir}: event model config`);
    const model = new EventSequenceModel(config, createRng(0));
    await loadWeights(dir, { transformer: model.network });
    model.#meta = meta.extra ?? {};
    if (meta.training) model.#trained = { ...meta.training, history: [], elapsed_s: 0 };
    return model;
  }

  dispose(): void {
    this.network.dispose();
  }
}
