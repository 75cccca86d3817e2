import { TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import type { NamedVariable, WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';

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
  readonly #sizes: readonly number[];
  /** First and second moments of all parameters, flat in parameters() order: one tensor each, so the update is a
   * handful of kernels whatever the number of layers (tiny nets are bound by per-kernel overhead). */
  readonly #m: tf.Variable<tf.Rank.R1>;
  readonly #v: tf.Variable<tf.Rank.R1>;
  /** Adam's t as a tensor, only for checkpoints (synchronised lazily with #t, see asWeightSource). */
  readonly #tVar: tf.Variable<tf.Rank.R1>;
  #t = 0;
  #reloadStep = false;
  #lr: number;

  constructor(sources: WeightSource | readonly WeightSource[], config: AdamConfig = {}) {
    this.config = validateConfig(adamConfigSchema, config, 'Adam config');
    this.#lr = this.config.lr;
    const list = Array.isArray(sources) ? (sources as readonly WeightSource[]) : [sources as WeightSource];
    this.#params = list.flatMap((s) => s.parameters());
    if (this.#params.length === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'Adam needs at least one parameter');
    const seen = new Set<tf.Variable>();
    for (const p of this.#params) {
      if (seen.has(p.variable)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `Adam got parameter ${p.name} twice; pass each network once`);
      }
      seen.add(p.variable);
    }
    this.#sizes = this.#params.map((p) => p.variable.size);
    const total = this.#sizes.reduce((a, b) => a + b, 0);
    this.#m = tf.variable(tf.zeros([total]), false) as tf.Variable<tf.Rank.R1>;
    this.#v = tf.variable(tf.zeros([total]), false) as tf.Variable<tf.Rank.R1>;
    this.#tVar = tf.variable(tf.zeros([1]), false) as tf.Variable<tf.Rank.R1>;
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
    this.#syncStep();
    return this.#t;
  }

  /** One train step on `lossFn`; see the class comment. */
  minimize(lossFn: LossFn): StepResult {
    this.#syncStep();
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
    // A variable the loss does not reach gets no update, like a PyTorch parameter whose .grad is None.
    const present = gradList.every((g) => g !== undefined) ? undefined : gradList.map((g) => g !== undefined);
    const flatGrad: tf.Tensor1D = tf.tidy(() =>
      tf.concat(gradList.map((g, i) => (g === undefined ? tf.zeros([this.#sizes[i] as number]) : tf.reshape(g, [-1])))),
    ) as tf.Tensor1D;
    for (const g of gradList) g?.dispose();
    try {
      const [loss, gradNorm] = readLossAndNorm(value, flatGrad);
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
      this.#apply(flatGrad, scale, present);
      const auxValues = aux === undefined ? undefined : (aux.dataSync() as Float32Array).slice();
      return { loss, gradNorm, clipped: scale < 1, ...(auxValues === undefined ? {} : { aux: auxValues }) };
    } finally {
      value.dispose();
      flatGrad.dispose();
      aux?.dispose();
    }
  }

  #apply(flatGrad: tf.Tensor1D, scale: number, present: readonly boolean[] | undefined): void {
    this.#t += 1;
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.config;
    const lr = this.#lr;
    const bc1 = 1 - beta1 ** this.#t;
    const bc2 = 1 - beta2 ** this.#t;
    tf.tidy(() => {
      const theta = tf.concat(this.#params.map((p) => tf.reshape(p.variable, [-1])));
      let g: tf.Tensor1D = scale === 1 ? flatGrad : tf.mul(flatGrad, scale);
      if (weightDecay > 0 && !decoupled) g = tf.add(g, tf.mul(theta, weightDecay));
      let m: tf.Tensor1D = tf.add(tf.mul(this.#m, beta1), tf.mul(g, 1 - beta1));
      let v: tf.Tensor1D = tf.add(tf.mul(this.#v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), epsilon);
      const base = weightDecay > 0 && decoupled ? tf.mul(theta, 1 - lr * weightDecay) : theta;
      let next: tf.Tensor1D = tf.sub(base, tf.mul(tf.div(m, denom), lr / bc1));
      if (present !== undefined) {
        const mask = tf.tensor1d(
          this.#sizes.flatMap((n, i) => new Array<number>(n).fill(present[i] ? 1 : 0)),
          'bool',
        );
        m = tf.where(mask, m, this.#m);
        v = tf.where(mask, v, this.#v);
        next = tf.where(mask, next, theta) as tf.Tensor1D;
      }
      this.#m.assign(m);
      this.#v.assign(v);
      const parts = tf.split(next, this.#sizes as number[]);
      this.#params.forEach((p, i) => {
        p.variable.assign(tf.reshape(parts[i] as tf.Tensor, p.variable.shape));
      });
    });
  }

  /**
   * A WeightSource over the optimizer state (`adam/m`, `adam/v`: flat moments in parameter order; `adam/t`: the
   * step count), for saveWeights / loadWeights next to the networks, so a resumed run continues exactly.
   */
  asWeightSource(): WeightSource {
    return {
      parameters: () => {
        // Saving reads these tensors and loading overwrites them: publish t now, and re-read it before next use.
        this.#syncStep();
        const t = tf.tensor1d([this.#t]);
        this.#tVar.assign(t);
        t.dispose();
        this.#reloadStep = true;
        return [
          { name: 'adam/m', variable: this.#m },
          { name: 'adam/v', variable: this.#v },
          { name: 'adam/t', variable: this.#tVar },
        ];
      },
    };
  }

  #syncStep(): void {
    if (!this.#reloadStep) return;
    this.#reloadStep = false;
    const t = (this.#tVar.dataSync() as Float32Array)[0] as number;
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new TwinforgeError('CHECKPOINT_INVALID', `Adam step count in the loaded state is ${t}, not a count`);
    }
    this.#t = t;
  }

  dispose(): void {
    this.#m.dispose();
    this.#v.dispose();
    this.#tVar.dispose();
  }
}

/** Loss and global gradient norm in one device → host read. */
function readLossAndNorm(loss: tf.Scalar, flatGrad: tf.Tensor1D): [number, number] {
  const both = tf.tidy(() => tf.stack([loss, tf.sqrt(tf.sum(tf.square(flatGrad)))]));
  const [l, n] = both.dataSync();
  both.dispose();
  return [l as number, n as number];
}
