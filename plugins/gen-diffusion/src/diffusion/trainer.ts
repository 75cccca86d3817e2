import { assertFinite, type Rng, TwinforgeError } from '@twinforge/core';
import { mseLoss, softUpdate, TensorAdam, tf } from '@twinforge/tensor';
import type { TrainConfig } from '../config.js';
import type { Denoiser } from '../nn/denoiser.js';
import { dihedralPermutations } from './augment.js';
import { type ConditionSpec, type ConditionValues, conditionWidth, encodeConditions } from './conditions.js';
import { ExampleSampler } from './example-sampler.js';
import { lossWeights } from './loss-weight.js';
import { learningRateAt } from './lr-schedule.js';
import type { NoiseSchedule } from './schedule.js';
import { selfConditionEstimate } from './self-condition.js';
import { TimestepSampler } from './timestep-sampler.js';

/** Encoded training data: maps in [−1, 1] (row-major, `pixels` each) with their condition values. */
export interface TrainingSet {
  readonly pixels: number;
  /** Side of the square maps, needed for augmentation. */
  readonly side?: number;
  readonly x0: Float32Array;
  readonly conditions: readonly ConditionValues[];
  /** Data scale of the preconditioning (nn/preconditioned.ts); needed by the 'edm' loss weighting. */
  readonly sigmaData?: number;
}

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Mean (weighted, see TrainConfig.lossWeighting) ε-MSE over the last `logEvery` steps. */
  readonly loss: number;
  readonly lr: number;
  readonly elapsed_s: number;
}

export interface TrainResult {
  readonly steps: number;
  readonly finalLoss: number;
  readonly history: readonly TrainProgress[];
  readonly elapsed_s: number;
}

/**
 * DDPM training (Ho et al. 2020, Algorithm 1) with ε-prediction and the MSE loss, conditions dropped for
 * classifier-free guidance (Ho & Salimans 2022), Adam with global-norm clipping and a linear learning-rate decay,
 * and an exponential moving average of the weights for sampling. Per step: a batch of maps, t from the timestep sampler,
 * ε ~ N(0, I), x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε formed on the host (cheaper than ~4 kernels for 256-value maps), one
 * Adam step on ‖ε_θ(x_t, t, c) − ε‖², one EMA update. All draws come from `rng`.
 */
export function trainDiffusion(
  model: Denoiser,
  ema: Denoiser,
  schedule: NoiseSchedule,
  specs: readonly ConditionSpec[],
  data: TrainingSet,
  config: TrainConfig,
  rng: Rng,
  options: { signal?: AbortSignal; onProgress?: (p: TrainProgress) => void } = {},
): TrainResult {
  const n = data.conditions.length;
  if (n === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'diffusion training needs at least one map');
  if (data.x0.length !== n * data.pixels) {
    throw new TwinforgeError('INVALID_ARGUMENT', `training maps hold ${data.x0.length} values for ${n} maps`);
  }
  const { batchSize: B, steps } = config;
  const P = data.pixels;
  const opt = new TensorAdam(model, { lr: config.lr, clipNorm: config.clipNorm });
  const draws = rng.split('batches');
  const noise = rng.split('noise');
  const drop = rng.split('condition-dropout');
  const xt = new Float32Array(B * P);
  const eps = new Float32Array(B * P);
  const t = new Int32Array(B);
  const rows: ConditionValues[] = new Array(B);
  if (config.augment === 'dihedral' && (data.side === undefined || data.side * data.side !== P)) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'dihedral augmentation needs square maps');
  }
  const perms = config.augment === 'dihedral' ? dihedralPermutations(data.side as number) : undefined;
  const times = new TimestepSampler(schedule, config.timesteps);
  const examples = new ExampleSampler(data.conditions, specs, config.balance);
  if (config.lossWeighting === 'edm' && !(data.sigmaData !== undefined && data.sigmaData > 0)) {
    throw new TwinforgeError('INVALID_ARGUMENT', "lossWeighting 'edm' needs the data scale sigmaData");
  }
  const timeWeights = lossWeights(schedule, config.lossWeighting, data.sigmaData ?? 1, times.probabilities());
  const w = new Float32Array(B);
  const selfCond = model.selfConditioned ? new Float32Array(B) : undefined;
  const sqrtAb = new Float32Array(B);
  const sqrt1mAb = new Float32Array(B);
  const history: TrainProgress[] = [];
  const started = performance.now();
  let window = 0;
  let windowSteps = 0;
  let last = Number.NaN;
  for (let step = 0; step < steps; step++) {
    if (options.signal?.aborted) break;
    const lr = learningRateAt(config, step, steps);
    opt.lr = lr;
    noise.fillNormal(eps);
    for (let i = 0; i < B; i++) {
      const k = examples.draw(draws);
      const ti = times.draw(draws);
      t[i] = ti;
      w[i] = timeWeights[ti] as number;
      const a = Math.sqrt(schedule.alphaBars[ti] as number);
      const s = Math.sqrt(1 - (schedule.alphaBars[ti] as number));
      sqrtAb[i] = a;
      sqrt1mAb[i] = s;
      if (selfCond) selfCond[i] = drop.bernoulli(0.5) ? 1 : 0;
      const base = k * P;
      const perm = perms?.[draws.int(0, 7)];
      for (let p = 0; p < P; p++) {
        const src = base + (perm ? (perm[p] as number) : p);
        xt[i * P + p] = a * (data.x0[src] as number) + s * (eps[i * P + p] as number);
      }
      const c = data.conditions[k] as ConditionValues;
      if (drop.bernoulli(config.pUncond)) rows[i] = c.map(() => null);
      else rows[i] = c.map((v) => (drop.bernoulli(config.pDropEach) ? null : v));
    }
    const xs = tf.tensor2d(xt, [B, P]);
    const es = tf.tensor2d(eps, [B, P]);
    const ts = tf.tensor1d(t, 'int32');
    const cs = tf.tensor2d(encodeConditions(specs, rows), [B, conditionWidth(specs)]);
    const ws = config.lossWeighting === 'epsilon' ? undefined : tf.tensor1d(w);
    // Self-conditioning: x̂₀ from a first pass, outside the minimised closure (so no gradient flows through it),
    // for the rows drawn above; the others get zeros ("no estimate").
    const sc = selfCond ? selfConditionEstimate(model, xs, ts, cs, sqrtAb, sqrt1mAb, selfCond) : undefined;
    try {
      last = opt.minimize(() => mseLoss(model.apply(xs, ts, cs, sc), es, ws ? { weights: ws } : {})).loss;
    } finally {
      tf.dispose([xs, es, ts, cs, ...(ws ? [ws] : []), ...(sc ? [sc] : [])]);
    }
    assertFinite(last, 'diffusion loss');
    softUpdate(ema, model, 1 - Math.min(config.emaDecay, (1 + step) / (10 + step)));
    window += last;
    windowSteps++;
    if ((step + 1) % config.logEvery === 0 || step === steps - 1) {
      const p = {
        step: step + 1,
        steps,
        loss: window / windowSteps,
        lr,
        elapsed_s: (performance.now() - started) / 1000,
      };
      history.push(p);
      options.onProgress?.(p);
      window = 0;
      windowSteps = 0;
    }
  }
  opt.dispose();
  return {
    steps: history.at(-1)?.step ?? 0,
    finalLoss: history.at(-1)?.loss ?? last,
    history,
    elapsed_s: (performance.now() - started) / 1000,
  };
}
