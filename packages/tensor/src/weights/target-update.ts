import { TwinforgeError } from '@twinforge/core';
import type { NamedVariable, WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';

/** Pairs target and source parameters position by position, checking that the shapes agree. */
function pairs(target: WeightSource, source: WeightSource): [NamedVariable, NamedVariable][] {
  const t = target.parameters();
  const s = source.parameters();
  if (t.length !== s.length) {
    throw new TwinforgeError(
      'TENSOR_SHAPE_MISMATCH',
      `target has ${t.length} parameters, source has ${s.length}: they are not the same architecture`,
    );
  }
  return t.map((tp, i) => {
    const sp = s[i] as NamedVariable;
    if (tp.variable.shape.join('x') !== sp.variable.shape.join('x')) {
      throw new TwinforgeError(
        'TENSOR_SHAPE_MISMATCH',
        `${tp.name} is [${tp.variable.shape.join(', ')}] but ${sp.name} is [${sp.variable.shape.join(', ')}]`,
      );
    }
    return [tp, sp];
  });
}

/** Polyak averaging θ' ← τθ + (1-τ)θ' (DDPG/TD3/SAC target networks); τ = 1 copies. */
export function softUpdate(target: WeightSource, source: WeightSource, tau: number): void {
  if (!(tau >= 0 && tau <= 1)) throw new TwinforgeError('INVALID_ARGUMENT', `tau must be in [0, 1], got ${tau}`);
  const ps = pairs(target, source);
  tf.tidy(() => {
    for (const [t, s] of ps) {
      t.variable.assign(tau === 1 ? s.variable : tf.add(tf.mul(s.variable, tau), tf.mul(t.variable, 1 - tau)));
    }
  });
}

/** Copies the source weights into the target (DQN's periodic target sync). */
export function hardUpdate(target: WeightSource, source: WeightSource): void {
  const ps = pairs(target, source);
  tf.tidy(() => {
    for (const [t, s] of ps) t.variable.assign(s.variable);
  });
}
