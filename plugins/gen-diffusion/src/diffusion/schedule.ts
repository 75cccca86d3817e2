import { TwinforgeError } from '@twinforge/core';

/** Per-step quantities of a discrete diffusion process with T steps, index t = 0..T−1 (paper step t + 1). */
export interface NoiseSchedule {
  readonly timesteps: number;
  readonly betas: Float64Array;
  /** ᾱ_t = Π_{s ≤ t} (1 − β_s). */
  readonly alphaBars: Float64Array;
}

/**
 * The cosine schedule of Nichol & Dhariwal (2021): ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T) + s)/(1 + s) · π/2), with
 * β_t = 1 − ᾱ(t)/ᾱ(t−1) clipped at `maxBeta` (0.999) so the last step stays invertible. ᾱ is recomputed from the
 * clipped βs, which is what training and sampling use. Compared with the linear schedule it destroys information
 * more evenly over t, which matters for small maps where the linear one is nearly pure noise for the last quarter.
 * ᾱ at the last step is ~1e-5 × (0.001 from the clip): the forward process ends in (numerically) pure noise.
 */
export function cosineSchedule(timesteps: number, s = 0.008, maxBeta = 0.999): NoiseSchedule {
  if (!Number.isInteger(timesteps) || timesteps < 2) {
    throw new TwinforgeError('INVALID_ARGUMENT', `timesteps must be an integer >= 2, got ${timesteps}`);
  }
  const f = (t: number) => Math.cos(((t / timesteps + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  const betas = new Float64Array(timesteps);
  const alphaBars = new Float64Array(timesteps);
  let prod = 1;
  for (let t = 0; t < timesteps; t++) {
    const beta = Math.min(maxBeta, 1 - f(t + 1) / f(t));
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
