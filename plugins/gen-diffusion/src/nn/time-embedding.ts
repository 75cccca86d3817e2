/**
 * Sinusoidal embeddings of the timesteps 0..T−1 (Transformer positional encoding, as in DDPM): for k < dim/2,
 * [sin(t·ω_k), cos(t·ω_k)] with ω_k = 10000^(−k/(dim/2)). A [T, dim] table computed once; the network looks rows up.
 */
export function sinusoidalTable(timesteps: number, dim: number): Float32Array {
  const half = Math.floor(dim / 2);
  const out = new Float32Array(timesteps * dim);
  for (let t = 0; t < timesteps; t++) {
    for (let k = 0; k < half; k++) {
      const w = Math.exp((-Math.log(10000) * k) / half);
      out[t * dim + k] = Math.sin(t * w);
      out[t * dim + half + k] = Math.cos(t * w);
    }
  }
  return out;
}
