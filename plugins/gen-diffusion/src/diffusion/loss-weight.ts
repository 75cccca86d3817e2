import type { NoiseSchedule } from './schedule.js';

/**
 * Weight of each timestep's ε-MSE. 'epsilon': 1 (DDPM's L_simple). 'edm': 1/c_out(t)² = 1 + σ(t)²/s², with σ the
 * noise-to-signal ratio √((1−ᾱ)/ᾱ) and s the data scale of the preconditioning (nn/preconditioned.ts).
 *
 * Why: ε̂ = c_skip·x_t + c_out·F, so the plain ε-MSE is c_out²·‖F − F*‖², and c_out² = s²/(s² + σ²) vanishes at high
 * noise. In x₀ terms the unweighted loss is the SNR-weighted x₀ error, so the bands where DDIM's first steps decide
 * where a map's structures go (how many jammer disks, where) are barely trained; on the mesh jamming maps that left
 * blobs of irregular shape and the wrong number of hot spots. Weighting by 1/c_out² trains F with equal weight at
 * every noise level, EDM's choice; EDM pairs it with log-normal σ draws, which keep the weights bounded (with uniform
 * t the last steps would weigh ~10⁴×). Weights are divided by their mean under the timestep distribution `probs`,
 * so the loss keeps the scale of the unweighted one and the learning rate and clipping mean the same.
 */
export function lossWeights(
  schedule: NoiseSchedule,
  mode: 'epsilon' | 'edm',
  sigmaData: number,
  probs: ArrayLike<number>,
): Float64Array {
  const w = Float64Array.from(schedule.alphaBars, (ab) =>
    mode === 'epsilon' ? 1 : 1 + (1 - ab) / ab / (sigmaData * sigmaData),
  );
  let mean = 0;
  for (let t = 0; t < w.length; t++) mean += (probs[t] as number) * (w[t] as number);
  for (let t = 0; t < w.length; t++) w[t] = (w[t] as number) / mean;
  return w;
}
