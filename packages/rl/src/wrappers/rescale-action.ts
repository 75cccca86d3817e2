import { TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Box } from '../spaces/box.js';
import { requireBox } from './clip-action.js';
import { ActionWrapper } from './wrapper.js';

/**
 * Exposes the action range [minAction, maxAction] (usually [-1, 1], what tanh policies emit) and maps it affinely
 * onto the inner Box bounds, which must be finite.
 */
export class RescaleAction<O> extends ActionWrapper<O, Float32Array, Float32Array> {
  readonly #inner: Box;
  readonly #space: Box;

  constructor(env: Env<O, Float32Array>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    this.#inner = requireBox(env, 'RescaleAction');
    if (!this.#inner.isBounded()) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'RescaleAction needs a bounded inner action space');
    }
    this.#space = new Box(minAction, maxAction, { shape: this.#inner.shape });
    if (!this.#space.isBounded()) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'RescaleAction needs finite minAction and maxAction');
    }
  }

  override get actionSpace(): Box {
    return this.#space;
  }

  protected action(action: Float32Array): Float32Array {
    if (!this.#space.contains(action)) {
      throw new TwinforgeError('ENV_INVALID_ACTION', 'RescaleAction: action is outside [minAction, maxAction]');
    }
    const { low, high } = this.#inner;
    const a = this.#space.low;
    const b = this.#space.high;
    const out = new Float32Array(action.length);
    for (let i = 0; i < action.length; i++) {
      const span = (b[i] as number) - (a[i] as number);
      const t = span === 0 ? 0 : ((action[i] as number) - (a[i] as number)) / span;
      const v = (low[i] as number) + t * ((high[i] as number) - (low[i] as number));
      out[i] = Math.min(Math.max(v, low[i] as number), high[i] as number);
    }
    return out;
  }
}
