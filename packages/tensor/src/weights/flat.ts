import { TwinforgeError } from '@twinforge/core';
import type { NamedVariable, WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';

function paramsOf(sources: WeightSource | readonly WeightSource[]): readonly NamedVariable[] {
  const list = Array.isArray(sources) ? (sources as readonly WeightSource[]) : [sources as WeightSource];
  return list.flatMap((s) => s.parameters());
}

/** Total number of scalar weights. */
export function countParameters(sources: WeightSource | readonly WeightSource[]): number {
  return paramsOf(sources).reduce((n, p) => n + p.variable.size, 0);
}

/**
 * All weights as one Float32Array, parameters in `parameters()` order, each row-major (a Dense kernel is
 * [in, out]). One read from the backend. Federated averaging works on these vectors.
 */
export function getFlatWeights(sources: WeightSource | readonly WeightSource[]): Float32Array {
  const params = paramsOf(sources);
  if (params.length === 0) return new Float32Array(0);
  const flat = tf.tidy(() => tf.concat(params.map((p) => tf.reshape(p.variable, [-1]))));
  const out = (flat.dataSync() as Float32Array).slice();
  flat.dispose();
  return out;
}

/**
 * Overwrites all weights from a flat vector laid out as getFlatWeights returns it. The length and every value are
 * checked before anything is assigned, so a bad vector leaves the network as it was.
 */
export function setFlatWeights(
  sources: WeightSource | readonly WeightSource[],
  flat: Float32Array | readonly number[],
): void {
  const params = paramsOf(sources);
  const expected = params.reduce((n, p) => n + p.variable.size, 0);
  if (flat.length !== expected) {
    throw new TwinforgeError(
      'TENSOR_SHAPE_MISMATCH',
      `flat weight vector has ${flat.length} values, the network has ${expected} parameters`,
      { details: { expected, actual: flat.length } },
    );
  }
  for (let i = 0; i < flat.length; i++) {
    if (!Number.isFinite(flat[i] as number)) {
      throw new TwinforgeError(
        'NUMERIC_INVALID',
        `flat weight vector holds ${flat[i]} at index ${i}; nothing assigned`,
        {
          details: { index: i },
        },
      );
    }
  }
  const values = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  let offset = 0;
  for (const p of params) {
    const n = p.variable.size;
    const t = tf.tensor(values.subarray(offset, offset + n), p.variable.shape, 'float32');
    p.variable.assign(t);
    t.dispose();
    offset += n;
  }
}
