import { TwinforgeError } from '@twinforge/core';

/** Per-step quantities of a discrete diffusion process with T steps, index t = 0..T−1 (paper step t + 1). */
export interface NoiseSchedule {
  readonly timesteps: number;
  readonly betas: Float64Array;
  /** ᾱ_t = Π_{s ≤ t} (1 − β_s). */
  readonly alphaBars: Float64Array;
}

/** Options of {@link cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Offset s of Nichol & Dhariwal's f(t) (default 0.008). */
  readonly offset?: number;
  /** Clip of every β (default 0.999), so the last step stays invertible. */
  readonly maxBeta?: number;
  /**
   * Factor k on every step's signal-to-noise ratio ᾱ/(1 − ᾱ) before the βs are derived (default 1: the plain
   * schedule). This is the "shifted" cosine schedule of Hoogeboom et al. (2023, simple diffusion): a map with 4× the
   * pixels of one the schedule suits averages the noise away over 4× the cells, so its coarse layout (here: whether
   * and where a jammer's disk is) survives to 4× lower SNR and is settled in the last few noisy steps. k = (16/32)²
   * gives a 32×32 map the 16×16 schedule's noise level at that coarse scale.
   */
  readonly snrScale?: number;
}

/**
 * The cosine schedule of Nichol & Dhariwal (2021): ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2),
 * optionally with its SNR scaled (`snrScale`), and β_t = 1 − ᾱ(t)/ᾱ(t−1) clipped at `maxBeta` so the last step
 * stays invertible. ᾱ is recomputed from the clipped βs, which is what training and sampling use. Compared with the
 * linear schedule it destroys information more evenly over t, which matters for small maps where the linear one is
 * nearly pure noise for the last quarter. ᾱ at the last step is ~1e-5 × (0.001 from the clip): the forward process
 * ends in (numerically) pure noise.
 */
export function cosineSchedule(timesteps: number, options: CosineScheduleOptions = {}): NoiseSchedule {
  const { offset = 0.008, maxBeta = 0.999, snrScale = 1 } = options;
  if (!Number.isInteger(timesteps) || timesteps < 2) {
    throw new TwinforgeError('INVALID_ARGUMENT', `timesteps must be an integer >= 2, got ${timesteps}`);
  }
  if (!(snrScale > 0 && Number.isFinite(snrScale))) {
    throw new TwinforgeError('INVALID_ARGUMENT', `snrScale must be a finite number > 0, got ${snrScale}`);
  }
  const f = (t: number) => Math.cos(((t / timesteps + offset) / (1 + offset)) * (Math.PI / 2)) ** 2;
  // ᾱ(t) of the (shifted) continuous schedule; k·SNR/(1 + k·SNR) with SNR = ᾱ/(1 − ᾱ) is k·ᾱ/(1 − ᾱ + k·ᾱ).
  const alphaBar = (t: number) => {
    const a = f(t) / f(0);
    return (snrScale * a) / (1 - a + snrScale * a);
  };
  // k = 1 keeps the original f(t + 1)/f(t), so the plain schedule (and every model trained on it) is bit-for-bit unchanged.
  const ratio = (t: number) => (snrScale === 1 ? f(t + 1) / f(t) : alphaBar(t + 1) / alphaBar(t));
  const betas = new Float64Array(timesteps);
  const alphaBars = new Float64Array(timesteps);
  let prod = 1;
  for (let t = 0; t < timesteps; t++) {
    const beta = Math.min(maxBeta, 1 - ratio(t));
    betas[t] = beta;
    prod *= 1 - beta;
    alphaBars[t] = prod;
  }
  return { timesteps, betas, alphaBars };
}

/**
 * `steps` timesteps for DDIM sampling, descending from T−1 to 0 and evenly spaced (Song et al. 2021's "linear"
 * sub-sequence), without duplicates.
 */
export function ddimTimesteps(timesteps: number, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > timesteps) {
    throw new TwinforgeError('INVALID_ARGUMENT', `sampling steps must be in [1, ${timesteps}], got ${steps}`);
  }
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? timesteps - 1 : Math.round(((timesteps - 1) * (steps - 1 - i)) / (steps - 1));
    if (out.length === 0 || t !== out[out.length - 1]) out.push(t);
  }
  return out;
}
