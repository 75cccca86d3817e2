import type * as tf from '../tf.js';

/** A trainable tensor with a stable, path-like name (`critic/q1/layer0/kernel`), used by checkpoints. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

/**
 * Anything that owns weights, in a fixed order. That order defines flat weight vectors, target updates and
 * checkpoint layout, so it never depends on creation timing or object key order.
 */
export interface WeightSource {
  parameters(): readonly NamedVariable[];
}

/** A network part that owns tfjs variables and must be disposed. */
export interface Module extends WeightSource {
  dispose(): void;
}

/** All variables of one or more sources, in order. */
export function variablesOf(sources: WeightSource | readonly WeightSource[]): tf.Variable[] {
  const list = Array.isArray(sources) ? (sources as readonly WeightSource[]) : [sources as WeightSource];
  return list.flatMap((s) => s.parameters().map((p) => p.variable));
}
