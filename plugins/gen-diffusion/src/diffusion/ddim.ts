import type { Rng } from '@twinforge/core';
import { assertFinite, TwinforgeError } from '@twinforge/core';
import { tf } from '@twinforge/tensor';
import type { SampleConfig } from '../config.js';
import type { Denoiser } from '../nn/denoiser.js';
import { type ConditionSpec, type ConditionValues, conditionWidth, encodeConditions } from './conditions.js';
import { ddimTimesteps, type NoiseSchedule } from './schedule.js';

/**
 * DDIM sampling (Song et al. 2021) with classifier-free guidance (Ho & Salimans 2022), for one batch:
 *   ε̃ = ε_θ(x_t, t, ∅) + s·(ε_θ(x_t, t, c) − ε_θ(x_t, t, ∅))           (one call on the stacked [c; ∅] batch)
 *   (s only where t/(T−1) lies in `guidanceInterval`; elsewhere ε̃ = ε_θ(x_t, t, c), one call on [c])
 *   x̂₀ = (x_t − √(1−ᾱ_t)·ε̃)/√ᾱ_t, clipped to [−1, 1] (then ε̃ recomputed from it so the step stays consistent)
 *   σ = η·√((1−ᾱ_prev)/(1−ᾱ_t))·√(1 − ᾱ_t/ᾱ_prev)
 *   x_prev = √ᾱ_prev·x̂₀ + √(1−ᾱ_prev−σ²)·ε̃ + σ·z
 * over `steps` evenly spaced timesteps from T−1 down to 0; the last step returns x̂₀ (ᾱ_prev = 1). The host does the
 * arithmetic (maps are small), the network call is the only tensor work; one read per step.
 * Returns maps in the model's [−1, 1] scale, row-major [n × pixels].
 *
 * With `start` the chain does not begin in pure noise: each row's given map (model scale) is noised to the first
 * sampling timestep at or below `start.level`·(T−1), x_t = √ᾱ_t·x_init + √(1−ᾱ_t)·z, and denoised from there (SDEdit,
 * Meng et al. 2022). What the noise at that level has not yet destroyed, the layout, comes from the given map; the
 * rest is the model's.
 */
export function ddimSampleBatch(
  denoiser: Denoiser,
  schedule: NoiseSchedule,
  specs: readonly ConditionSpec[],
  pixels: number,
  rows: readonly ConditionValues[],
  config: SampleConfig,
  rng: Rng,
  start?: { readonly maps: Float32Array; readonly level: number },
): Float32Array {
  const n = rows.length;
  if (n === 0) return new Float32Array(0);
  if (start && start.maps.length !== n * pixels) {
    throw new TwinforgeError('INVALID_ARGUMENT', `start maps hold ${start.maps.length} values for ${n} maps`);
  }
  if (start && !(start.level > 0 && start.level <= 1)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `start level must be in (0, 1], got ${start.level}`);
  }
  const everGuided = config.guidance !== 1 && specs.length > 0;
  const [gLo, gHi] = config.guidanceInterval;
  const cw = conditionWidth(specs);
  // Stacked [c; ∅] rows; the first n alone are the conditional batch of unguided steps.
  const condRows = everGuided ? [...rows, ...rows.map((r) => r.map(() => null))] : rows;
  const condAll = tf.tensor2d(encodeConditions(specs, condRows), [condRows.length, cw]);
  const condOnly = everGuided ? tf.slice(condAll, [0, 0], [n, cw]) : condAll;
  const x = rng.fillNormal(new Float32Array(n * pixels));
  const all = ddimTimesteps(schedule.timesteps, config.steps);
  // SDEdit: skip the timesteps above the start level and noise the given maps to the first one kept.
  const times = start ? all.filter((t) => t <= start.level * (schedule.timesteps - 1)) : all;
  if (times.length === 0)
    throw new TwinforgeError('INVALID_ARGUMENT', `no sampling step at or below level ${start?.level}`);
  if (start) {
    const ab = schedule.alphaBars[times[0] as number] as number;
    const [a, s] = [Math.sqrt(ab), Math.sqrt(1 - ab)];
    for (let k = 0; k < x.length; k++) x[k] = a * (start.maps[k] as number) + s * (x[k] as number);
  }
  const x0 = new Float32Array(n * pixels);
  // Self-conditioning input: the previous step's x̂₀ (zeros before the first step), for both halves of a guided call.
  const prevX0: Float32Array | undefined = denoiser.selfConditioned ? new Float32Array(n * pixels) : undefined;
  const z = new Float32Array(n * pixels);
  try {
    for (let i = 0; i < times.length; i++) {
      const t = times[i] as number;
      const ab = schedule.alphaBars[t] as number;
      const abPrev = i + 1 < times.length ? (schedule.alphaBars[times[i + 1] as number] as number) : 1;
      const level = t / (schedule.timesteps - 1);
      const guided = everGuided && level >= gLo && level <= gHi;
      const eps = tf.tidy(() => {
        const xs = tf.tensor2d(x, [n, pixels]);
        const input = guided ? tf.concat([xs, xs], 0) : xs;
        const ts = tf.fill([guided ? 2 * n : n], t, 'int32') as tf.Tensor1D;
        const sc = prevX0 === undefined ? undefined : tf.tensor2d(prevX0, [n, pixels]);
        const scIn = sc === undefined || !guided ? sc : tf.concat([sc, sc], 0);
        const out = denoiser.apply(
          input as tf.Tensor2D,
          ts,
          guided ? condAll : condOnly,
          scIn as tf.Tensor2D | undefined,
        );
        if (!guided) return out;
        const [ec, eu] = tf.split(out, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
        return tf.add(eu, tf.mul(tf.sub(ec, eu), config.guidance));
      });
      const e = eps.dataSync() as Float32Array;
      eps.dispose();
      const sa = Math.sqrt(ab);
      const s1 = Math.sqrt(1 - ab);
      const sigma = config.eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abPrev));
      const dirScale = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
      if (sigma > 0) rng.fillNormal(z);
      for (let k = 0; k < x.length; k++) {
        let epsK = e[k] as number;
        let x0k = ((x[k] as number) - s1 * epsK) / sa;
        if (config.clipDenoised && (x0k > 1 || x0k < -1)) {
          x0k = Math.max(-1, Math.min(1, x0k));
          epsK = ((x[k] as number) - sa * x0k) / s1;
        }
        x0[k] = x0k;
        x[k] = Math.sqrt(abPrev) * x0k + dirScale * epsK + sigma * (z[k] as number);
      }
      prevX0?.set(x0);
      assertFinite(x[0] as number, 'DDIM sample');
    }
  } finally {
    tf.dispose(everGuided ? [condAll, condOnly] : [condAll]);
  }
  for (const v of x0) {
    if (!Number.isFinite(v)) throw new TwinforgeError('NUMERIC_INVALID', 'DDIM produced a non-finite map value');
  }
  return x0;
}
