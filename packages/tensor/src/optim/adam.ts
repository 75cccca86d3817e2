import { TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import type { NamedVariable, WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';
import { globalNorm } from './clip.js';

export const adamConfigSchema = z.strictObject({
  lr: z.number().positive().default(3e-4),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  /** L2 penalty added to the gradient (torch.optim.Adam's weight_decay), or decoupled (AdamW) if `decoupled`. */
  weightDecay: z.number().min(0).default(0),
  decoupled: z.boolean().default(false),
  /** Clip gradients by their global L2 norm (torch.nn.utils.clip_grad_norm_); omit for no clipping. */
  clipNorm: z.number().positive().optional(),
});
export type AdamConfig = z.input<typeof adamConfigSchema>;

/** What one optimisation step reports; all numbers are already on the host. */
export interface StepResult {
  readonly loss: number;
  /** Global L2 norm of the gradient before clipping. */
  readonly gradNorm: number;
  /** Whether clipping scaled the gradient down. */
  readonly clipped: boolean;
  /** The auxiliary tensor the loss function returned (e.g. per-sample TD errors for PER priorities). */
  readonly aux?: Float32Array;
}

/** A loss function returns a scalar, or the scalar plus one auxiliary tensor to read out in the same sync. */
export type LossFn = () => tf.Scalar | { readonly loss: tf.Scalar; readonly aux: tf.Tensor };

/**
 * Adam (Kingma & Ba 2015) with PyTorch's exact update, optional weight decay (L2 or AdamW), gradient clipping by
 * global norm and a NaN guard:
 *   g ← clip(g) [+ λθ];  m ← β1 m + (1-β1) g;  v ← β2 v + (1-β2) g²
 *   θ ← θ - (lr / (1-β1ᵗ)) · m / (√v / √(1-β2ᵗ) + ε)          [AdamW: θ ← θ(1 - lr·λ) first]
 *
 * `minimize(lossFn)` is the train step: it computes the loss and the gradients of this optimizer's variables only
 * (so an actor step leaves the critic alone), reads loss and gradient norm in one sync, refuses a non-finite loss
 * or gradient with NUMERIC_INVALID before touching any weight, clips, and applies the update. Every intermediate
 * tensor is disposed.
 */
export class Adam {
  readonly config: z.output<typeof adamConfigSchema>;
  readonly #params: readonly NamedVariable[];
  readonly #m: tf.Variable[];
  readonly #v: tf.Variable[];
  #t = 0;
  #lr: number;

  constructor(sources: WeightSource | readonly WeightSource[], config: AdamConfig = {}) {
    this.config = validateConfig(adamConfigSchema, config, 'Adam config');
    this.#lr = this.config.lr;
    const list = Array.isArray(sources) ? (sources as readonly WeightSource[]) : [sources as WeightSource];
    this.#params = list.flatMap((s) => s.parameters());
    if (this.#params.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'Adam needs at least one parameter');
    this.#m = this.#params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    this.#v = this.#params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
  }

  get learningRate(): number {
    return this.#lr;
  }

  /** Changes the learning rate (schedules); the moments are kept. */
  setLearningRate(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new TwinforgeError('INVALID_ARGUMENT', `lr must be > 0, got ${lr}`);
    this.#lr = lr;
  }

  /** Number of updates applied so far (Adam's t). */
  get step(): number {
    return this.#t;
  }

  /** One train step on `lossFn`; see the class comment. */
  minimize(lossFn: LossFn): StepResult {
    let aux: tf.Tensor | undefined;
    const vars = this.#params.map((p) => p.variable);
    let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
    try {
      computed = tf.variableGrads(() => {
        const out = lossFn();
        if (out instanceof tf.Tensor) return out;
        aux = tf.keep(out.aux);
        return out.loss;
      }, vars);
    } catch (error) {
      aux?.dispose();
      throw error;
    }
    const { value, grads } = computed;
    const gradList = vars.map((v) => grads[v.name]);
    try {
      const [loss, gradNorm] = readLossAndNorm(value, gradList);
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        throw new TwinforgeError(
          'NUMERIC_INVALID',
          `non-finite ${Number.isFinite(loss) ? 'gradient' : 'loss'} (loss ${loss}, gradient norm ${gradNorm}) at step ${
            this.#t + 1
          }; weights left unchanged. Check inputs, rewards and the learning rate`,
          { details: { loss, gradNorm, step: this.#t + 1 } },
        );
      }
      const clipNorm = this.config.clipNorm;
      // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
      const scale = clipNorm !== undefined && gradNorm > clipNorm ? clipNorm / (gradNorm + 1e-6) : 1;
      this.#apply(gradList, scale);
      const auxValues = aux === undefined ? undefined : (aux.dataSync() as Float32Array).slice();
      return { loss, gradNorm, clipped: scale < 1, ...(auxValues === undefined ? {} : { aux: auxValues }) };
    } finally {
      value.dispose();
      for (const g of gradList) g?.dispose();
      aux?.dispose();
    }
  }

  #apply(grads: readonly (tf.Tensor | undefined)[], scale: number): void {
    this.#t += 1;
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.config;
    const lr = this.#lr;
    const bc1 = 1 - beta1 ** this.#t;
    const bc2 = 1 - beta2 ** this.#t;
    tf.tidy(() => {
      grads.forEach((grad, i) => {
        // A variable the loss does not reach gets no update, like a PyTorch parameter whose .grad is None.
        if (grad === undefined) return;
        const p = (this.#params[i] as NamedVariable).variable;
        const m = this.#m[i] as tf.Variable;
        const v = this.#v[i] as tf.Variable;
        let g: tf.Tensor = scale === 1 ? grad : tf.mul(grad, scale);
        if (weightDecay > 0 && !decoupled) g = tf.add(g, tf.mul(p, weightDecay));
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), epsilon);
        const base = weightDecay > 0 && decoupled ? tf.mul(p, 1 - lr * weightDecay) : p;
        p.assign(tf.sub(base, tf.mul(tf.div(m, denom), lr / bc1)));
      });
    });
  }

  /** Moment estimates and step count, named after the parameters, for checkpoints that resume exactly. */
  stateTensors(): readonly NamedVariable[] {
    return this.#params.flatMap((p, i) => [
      { name: `${p.name}/adam_m`, variable: this.#m[i] as tf.Variable },
      { name: `${p.name}/adam_v`, variable: this.#v[i] as tf.Variable },
    ]);
  }

  /** A WeightSource view of the optimizer state (for saveWeights / loadWeights); pair it with `step`. */
  asWeightSource(): WeightSource {
    return { parameters: () => this.stateTensors() };
  }

  /** Restores the step count after loading the state tensors. */
  setStep(t: number): void {
    if (!Number.isSafeInteger(t) || t < 0) throw new TwinforgeError('INVALID_ARGUMENT', `step must be >= 0, got ${t}`);
    this.#t = t;
  }

  dispose(): void {
    for (const t of [...this.#m, ...this.#v]) t.dispose();
  }
}

/** Loss and global gradient norm in one device → host read. */
function readLossAndNorm(loss: tf.Scalar, grads: readonly (tf.Tensor | undefined)[]): [number, number] {
  const both = tf.tidy(() => tf.stack([loss, globalNorm(grads.filter((g): g is tf.Tensor => g !== undefined))]));
  const [l, n] = both.dataSync();
  both.dispose();
  return [l as number, n as number];
}
