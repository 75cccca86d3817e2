import { TwinforgeError } from '@twinforge/core';

/**
 * A ReLU MLP evaluated in plain JavaScript from a flat weight vector in @twinforge/tensor's layout (per layer: kernel
 * [in, out] row-major, then bias [out]). Decisions need one forward pass at batch 1, where a tfjs call's fixed cost
 * (upload, dispatch, one read back) is larger than the arithmetic; a DIRS agent deployed on a MEC would likewise run
 * its weights in whatever runtime the server has. Training stays on tfjs; `load` refreshes the weights after it.
 * Hidden layers use ReLU, the output is linear (logits).
 */
export class FlatMlp {
  readonly sizes: readonly number[];
  #weights: Float32Array;
  readonly #buffers: Float32Array[];

  constructor(sizes: readonly number[], weights: Float32Array) {
    if (sizes.length < 2) throw new TwinforgeError('INVALID_ARGUMENT', 'FlatMlp needs at least [in, out] sizes');
    this.sizes = [...sizes];
    this.#weights = new Float32Array(0);
    this.#buffers = sizes.slice(1).map((s) => new Float32Array(s));
    this.load(weights);
  }

  static parameterCount(sizes: readonly number[]): number {
    let n = 0;
    for (let l = 0; l + 1 < sizes.length; l++)
      n += (sizes[l] as number) * (sizes[l + 1] as number) + (sizes[l + 1] as number);
    return n;
  }

  load(weights: Float32Array): void {
    const expected = FlatMlp.parameterCount(this.sizes);
    if (weights.length !== expected) {
      throw new TwinforgeError('TENSOR_SHAPE_MISMATCH', `FlatMlp expects ${expected} weights, got ${weights.length}`);
    }
    this.#weights = weights;
  }

  /** Logits for one input; the returned array is owned by this object and overwritten by the next call. */
  forward(input: ArrayLike<number>): Float32Array {
    const w = this.#weights;
    const sizes = this.sizes;
    if (input.length !== sizes[0]) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `FlatMlp input must have length ${sizes[0]}, got ${input.length}`,
      );
    }
    let x: ArrayLike<number> = input;
    let o = 0;
    const layers = sizes.length - 1;
    for (let l = 0; l < layers; l++) {
      const nIn = sizes[l] as number;
      const nOut = sizes[l + 1] as number;
      const out = this.#buffers[l] as Float32Array;
      const bias = o + nIn * nOut;
      for (let j = 0; j < nOut; j++) out[j] = w[bias + j] as number;
      for (let i = 0; i < nIn; i++) {
        const xi = x[i] as number;
        if (xi === 0) continue; // ReLU zeros are common: skip their rows
        const row = o + i * nOut;
        for (let j = 0; j < nOut; j++) out[j] = (out[j] as number) + xi * (w[row + j] as number);
      }
      if (l + 1 < layers) for (let j = 0; j < nOut; j++) if ((out[j] as number) < 0) out[j] = 0;
      o = bias + nOut;
      x = out;
    }
    return x as Float32Array;
  }
}
