import { createRng, type Rng, TwinforgeError, validateConfig } from '@twinforge/core';
import {
  countParameters,
  hardUpdate,
  loadWeights,
  modelCheckpointSchema,
  readCheckpointMetadata,
  requireBackend,
  saveWeights,
  tf,
  type WeightsManifest,
} from '@twinforge/tensor';
import {
  type DiffusionModelConfig,
  type DiffusionModelConfigInput,
  diffusionModelConfigSchema,
  type SampleConfigInput,
  sampleConfigSchema,
  type TrainConfigInput,
  trainConfigSchema,
} from './config.js';
import { type ConditionValues, conditionWidth, encodeConditions } from './diffusion/conditions.js';
import { ddimSampleBatch } from './diffusion/ddim.js';
import { decodeMap, encodeMap } from './diffusion/map-codec.js';
import { cosineSchedule, type NoiseSchedule } from './diffusion/schedule.js';
import { selfConditionEstimate } from './diffusion/self-condition.js';
import { type TrainProgress, type TrainResult, trainDiffusion } from './diffusion/trainer.js';
import type { Denoiser } from './nn/denoiser.js';
import { MlpDenoiser } from './nn/mlp-denoiser.js';
import { PreconditionedDenoiser } from './nn/preconditioned.js';
import { UnetDenoiser } from './nn/unet-denoiser.js';

/** Maps in physical units with the condition values each was observed under. */
export interface MapExamples {
  readonly maps: readonly Float32Array[];
  readonly conditions: readonly ConditionValues[];
}

const CHECKPOINT_KIND = 'twinforge-diffusion-maps';
const CHECKPOINT_VERSION = 1;
/** What `save` stores beside the weights; `config` is validated separately, naming its fields. */
const checkpointMetadataSchema = modelCheckpointSchema(CHECKPOINT_KIND, [CHECKPOINT_VERSION]);

function buildDenoiser(config: DiffusionModelConfig, schedule: NoiseSchedule, rng: Rng): Denoiser {
  return new PreconditionedDenoiser(buildNetwork(config, rng), schedule, config.sigmaData ?? 0.5, config.dataMean ?? 0);
}

function buildNetwork(config: DiffusionModelConfig, rng: Rng): Denoiser {
  const condDim = conditionWidth(config.conditions);
  const d = config.denoiser;
  if (d.kind === 'mlp') {
    return new MlpDenoiser(
      {
        pixels: config.width * config.height,
        timesteps: config.timesteps,
        condDim,
        hidden: d.hidden,
        blocks: d.blocks,
        embDim: d.embDim,
        selfCondition: d.selfCondition,
      },
      rng,
    );
  }
  return new UnetDenoiser(
    {
      width: config.width,
      height: config.height,
      timesteps: config.timesteps,
      condDim,
      channels: d.channels,
      embDim: d.embDim,
      patch: d.patch,
      attentionHeads: d.attentionHeads,
      selfCondition: d.selfCondition,
    },
    rng,
  );
}

/**
 * A conditional DDPM over single-channel maps (seed 003's diffusion model for network-state maps): train on maps in
 * physical units, save/load as a @twinforge/tensor checkpoint (EMA weights + the config in the manifest), sample
 * with DDIM and classifier-free guidance. The network being trained and its EMA copy are separate; sampling always
 * uses the EMA weights.
 */
export class DiffusionMapModel {
  config: DiffusionModelConfig;
  readonly schedule: NoiseSchedule;
  readonly #model: Denoiser;
  readonly #ema: Denoiser;
  #trained: TrainResult | undefined;
  #meta: Record<string, unknown> = {};

  private constructor(config: DiffusionModelConfig, rng: Rng) {
    this.config = config;
    this.schedule = cosineSchedule(config.timesteps, { snrScale: config.snrScale });
    this.#model = buildDenoiser(config, this.schedule, rng.split('init'));
    this.#ema = buildDenoiser(config, this.schedule, rng.split('init'));
  }

  /** A fresh model (weights from `rng`); needs an initialised tensor backend. */
  static create(config: DiffusionModelConfigInput, rng: Rng): DiffusionMapModel {
    requireBackend('a diffusion map model');
    return new DiffusionMapModel(validateConfig(diffusionModelConfigSchema, config, 'diffusion model config'), rng);
  }

  get pixels(): number {
    return this.config.width * this.config.height;
  }

  get parameterCount(): number {
    return countParameters(this.#ema);
  }

  /** Extra JSON kept in the checkpoint (e.g. the dataset's load levels in Mbps). */
  get metadata(): Readonly<Record<string, unknown>> {
    return this.#meta;
  }

  set metadata(value: Record<string, unknown>) {
    this.#meta = { ...value };
  }

  get lastTraining(): TrainResult | undefined {
    return this.#trained;
  }

  /** Trains on `examples` (synchronous, one Adam step at a time; `signal` stops early). */
  train(
    examples: MapExamples,
    config: TrainConfigInput,
    rng: Rng,
    options: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void } = {},
  ): TrainResult {
    const cfg = validateConfig(trainConfigSchema, config, 'diffusion train config');
    const n = examples.maps.length;
    if (n !== examples.conditions.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${n} maps but ${examples.conditions.length} condition rows`);
    }
    const x0 = this.#encodeMaps(examples.maps, 'map');
    for (const [i, row] of examples.conditions.entries()) {
      if (row.length !== this.config.conditions.length) {
        throw new TwinforgeError('INVALID_ARGUMENT', `condition row ${i} has ${row.length} values`);
      }
    }
    if (this.config.sigmaData === undefined) this.#measureDataStats(x0);
    if (!this.#trained) hardUpdate(this.#ema, this.#model);
    this.#trained = trainDiffusion(
      this.#model,
      this.#ema,
      this.schedule,
      this.config.conditions,
      {
        pixels: this.pixels,
        ...(this.config.width === this.config.height ? { side: this.config.width } : {}),
        x0,
        conditions: examples.conditions,
        ...(this.config.sigmaData !== undefined ? { sigmaData: this.config.sigmaData } : {}),
      },
      cfg,
      rng,
      options,
    );
    return this.#trained;
  }

  /** Fixes the preconditioning's data mean and scale from the encoded training maps (first training only). */
  #measureDataStats(x0: Float32Array): void {
    let mean = 0;
    for (const v of x0) mean += v;
    mean /= x0.length;
    let variance = 0;
    for (const v of x0) variance += (v - mean) ** 2;
    const sigmaData = Math.max(1e-3, Math.sqrt(variance / x0.length));
    const dataMean = Math.max(-1, Math.min(1, mean));
    this.config = { ...this.config, sigmaData, dataMean };
    for (const d of [this.#model, this.#ema] as PreconditionedDenoiser[]) {
      d.sigmaData = sigmaData;
      d.dataMean = dataMean;
    }
  }

  /**
   * One map per condition row (null = unknown), in physical units. The maps are the decoded DDIM output, without
   * any post-processing, so fidelity metrics see what the model really produces.
   */
  sample(conditions: readonly ConditionValues[], rng: Rng, config: SampleConfigInput = {}): Float32Array[] {
    return this.#sampleBatches(conditions, rng, config);
  }

  /**
   * SDEdit (Meng et al. 2022): each of `initial` (physical units, this model's size) is noised to `level` (a fraction
   * of the T diffusion steps, in (0, 1]) and denoised under its condition row. The layout that noise level keeps
   * comes from the initial map, the detail from this model; e.g. a 32×32 model rendering upsampled 16×16 samples
   * (a cascade, as in Ho et al. 2021's cascaded diffusion, without a separately trained super-resolution model).
   */
  refine(
    initial: readonly Float32Array[],
    conditions: readonly ConditionValues[],
    level: number,
    rng: Rng,
    config: SampleConfigInput = {},
  ): Float32Array[] {
    if (initial.length !== conditions.length) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `${initial.length} initial maps for ${conditions.length} condition rows`,
      );
    }
    return this.#sampleBatches(conditions, rng, config, { maps: this.#encodeMaps(initial, 'initial map'), level });
  }

  /** Physical maps → one row-major [n × pixels] block in the model's scale; a map of the wrong size names itself. */
  #encodeMaps(maps: readonly Float32Array[], what: string): Float32Array {
    const out = new Float32Array(maps.length * this.pixels);
    maps.forEach((m, i) => {
      if (m.length !== this.pixels) {
        throw new TwinforgeError(
          'INVALID_ARGUMENT',
          `${what} ${i} has ${m.length} values, the model takes ${this.pixels}`,
        );
      }
      encodeMap(this.config.codec, m, out, i * this.pixels);
    });
    return out;
  }

  #sampleBatches(
    conditions: readonly ConditionValues[],
    rng: Rng,
    config: SampleConfigInput,
    start?: { readonly maps: Float32Array; readonly level: number },
  ): Float32Array[] {
    const cfg = validateConfig(sampleConfigSchema, config, 'diffusion sample config');
    const out: Float32Array[] = [];
    const P = this.pixels;
    for (let first = 0; first < conditions.length; first += cfg.batchSize) {
      const rows = conditions.slice(first, first + cfg.batchSize);
      const from = start && { maps: start.maps.subarray(first * P, (first + rows.length) * P), level: start.level };
      const flat = ddimSampleBatch(this.#ema, this.schedule, this.config.conditions, P, rows, cfg, rng, from);
      for (let i = 0; i < rows.length; i++) out.push(decodeMap(this.config.codec, flat.subarray(i * P, (i + 1) * P)));
    }
    return out;
  }

  /**
   * ε-MSE of the EMA weights on `examples` per band of timesteps (`bands` equal slices of 0..T−1), conditions given:
   * where along the noise scale the model is still wrong. Draws t within each band and ε from `rng`.
   */
  lossByNoiseLevel(examples: MapExamples, rng: Rng, bands = 10, perBand = 256): number[] {
    const P = this.pixels;
    const T = this.schedule.timesteps;
    const specs = this.config.conditions;
    const n = examples.maps.length;
    const out: number[] = [];
    for (let band = 0; band < bands; band++) {
      const lo = Math.floor((band * T) / bands);
      const hi = Math.max(lo, Math.floor(((band + 1) * T) / bands) - 1);
      const x = new Float32Array(perBand * P);
      const eps = rng.fillNormal(new Float32Array(perBand * P));
      const ts = new Int32Array(perBand);
      const rows: ConditionValues[] = [];
      const x0 = new Float32Array(P);
      const sqrtAb = new Float32Array(perBand);
      const sqrt1mAb = new Float32Array(perBand);
      for (let i = 0; i < perBand; i++) {
        const k = rng.int(0, n - 1);
        const t = rng.int(lo, hi);
        ts[i] = t;
        encodeMap(this.config.codec, examples.maps[k] as Float32Array, x0);
        const a = Math.sqrt(this.schedule.alphaBars[t] as number);
        const s = Math.sqrt(1 - (this.schedule.alphaBars[t] as number));
        sqrtAb[i] = a;
        sqrt1mAb[i] = s;
        for (let p = 0; p < P; p++) x[i * P + p] = a * (x0[p] as number) + s * (eps[i * P + p] as number);
        rows.push(examples.conditions[k] as ConditionValues);
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor2d(x, [perBand, P]);
        const tt = tf.tensor1d(ts, 'int32');
        const cs = tf.tensor2d(encodeConditions(specs, rows), [perBand, conditionWidth(specs)]);
        // A self-conditioned model is scored as it samples: given its own first-pass estimate.
        const sc = this.#ema.selfConditioned
          ? selfConditionEstimate(this.#ema, xs, tt, cs, sqrtAb, sqrt1mAb, new Float32Array(perBand).fill(1))
          : undefined;
        const pred = this.#ema.apply(xs, tt, cs, sc);
        return tf.mean(tf.square(tf.sub(pred, tf.tensor2d(eps, [perBand, P]))));
      });
      out.push(loss.dataSync()[0] as number);
      loss.dispose();
    }
    return out;
  }

  /** Writes the EMA weights and the config to `dir` (a tensor checkpoint; atomic). */
  async save(dir: string): Promise<WeightsManifest> {
    return saveWeights(
      dir,
      { denoiser: this.#ema },
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

  /** Loads a model saved by `save` (validated: kind, version, config, every weight's name and shape). */
  static async load(dir: string): Promise<DiffusionMapModel> {
    requireBackend('a diffusion map model');
    const meta = await readCheckpointMetadata(
      dir,
      checkpointMetadataSchema,
      `a ${CHECKPOINT_KIND} v${CHECKPOINT_VERSION}`,
    );
    const config = validateConfig(diffusionModelConfigSchema, meta.config, `${dir}: diffusion model config`);
    const model = new DiffusionMapModel(config, createRng(0));
    await loadWeights(dir, { denoiser: model.#ema });
    hardUpdate(model.#model, model.#ema);
    model.#meta = meta.extra ?? {};
    if (meta.training) model.#trained = { ...meta.training, history: [], elapsed_s: 0 };
    return model;
  }

  dispose(): void {
    this.#model.dispose();
    this.#ema.dispose();
  }
}
