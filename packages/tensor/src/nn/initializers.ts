import { type Rng, TwinforgeError } from '@twinforge/core';
import { z } from 'zod';

/**
 * Weight initialisers, computed in JavaScript from a seeded core Rng so that the same seed gives the same weights
 * bit for bit on every backend (tfjs's own random ops differ between backends).
 *
 * - `uniform-fan-in`: U(-1/√fan_in, 1/√fan_in) for kernel and bias: PyTorch's nn.Linear default, which is what the
 *   TD3 and DDPG reference implementations (and most papers' code) actually use for hidden layers.
 * - `glorot-uniform` / `glorot-normal`: Glorot & Bengio 2010, bias 0 (Keras default).
 * - `he-uniform` / `he-normal`: He et al. 2015 for ReLU nets, bias 0.
 * - `orthogonal`: Saxe et al. 2014 with a gain (SB3 uses √2 hidden, 0.01 policy head, 1 value head), bias 0.
 * - `{ kind: 'uniform', limit }`: U(-limit, limit) for kernel and bias: DDPG's output layer (limit 3e-3).
 */
export const initSpecSchema = z.union([
  z.enum(['uniform-fan-in', 'glorot-uniform', 'glorot-normal', 'he-uniform', 'he-normal', 'orthogonal']),
  z.strictObject({ kind: z.literal('orthogonal'), gain: z.number().positive() }),
  z.strictObject({ kind: z.literal('uniform'), limit: z.number().positive() }),
]);
export type InitSpec = z.infer<typeof initSpecSchema>;

export interface LayerInit {
  /** Row-major [fanIn, fanOut] (tfjs layout: y = x·W + b). */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
}

/** Draws a [fanIn, fanOut] kernel and its bias. */
export function initLayer(spec: InitSpec, fanIn: number, fanOut: number, rng: Rng): LayerInit {
  const kernel = new Float32Array(fanIn * fanOut);
  const bias = new Float32Array(fanOut);
  if (typeof spec === 'object' && spec.kind === 'uniform') {
    rng.fillUniform(kernel, -spec.limit, spec.limit);
    rng.fillUniform(bias, -spec.limit, spec.limit);
    return { kernel, bias };
  }
  if (typeof spec === 'object' || spec === 'orthogonal') {
    kernel.set(orthogonal(fanIn, fanOut, typeof spec === 'object' ? spec.gain : 1, rng));
    return { kernel, bias };
  }
  switch (spec) {
    case 'uniform-fan-in': {
      const limit = 1 / Math.sqrt(fanIn);
      rng.fillUniform(kernel, -limit, limit);
      rng.fillUniform(bias, -limit, limit);
      break;
    }
    case 'glorot-uniform':
      rng.fillUniform(kernel, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)));
      break;
    case 'glorot-normal':
      rng.fillNormal(kernel, 0, Math.sqrt(2 / (fanIn + fanOut)));
      break;
    case 'he-uniform':
      rng.fillUniform(kernel, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn));
      break;
    case 'he-normal':
      rng.fillNormal(kernel, 0, Math.sqrt(2 / fanIn));
      break;
  }
  return { kernel, bias };
}

/**
 * A [rows, cols] matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), times `gain`: QR of a
 * Gaussian matrix by modified Gram-Schmidt in float64, with the sign fix of Saxe et al. so the result is uniformly
 * distributed over orthogonal matrices.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float64Array {
  if (!(rows > 0 && cols > 0)) throw new TwinforgeError('INVALID_ARGUMENT', 'orthogonal needs positive dimensions');
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  // Columns q[j] (length n) of an n×m Gaussian matrix.
  const q: Float64Array[] = [];
  for (let j = 0; j < m; j++) q.push(rng.fillNormal(new Float64Array(n)));
  for (let j = 0; j < m; j++) {
    const qj = q[j] as Float64Array;
    for (let k = 0; k < j; k++) {
      const qk = q[k] as Float64Array;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (qk[i] as number) * (qj[i] as number);
      for (let i = 0; i < n; i++) qj[i] = (qj[i] as number) - dot * (qk[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (qj[i] as number) ** 2;
    norm = Math.sqrt(norm);
    // R's diagonal is positive by construction here, so no sign correction is needed beyond normalising.
    for (let i = 0; i < n; i++) qj[i] = (qj[i] as number) / norm;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: column c is q[c]; otherwise row r is q[r].
      const v = rows >= cols ? (q[c] as Float64Array)[r] : (q[r] as Float64Array)[c];
      out[r * cols + c] = gain * (v as number);
    }
  }
  return out;
}
