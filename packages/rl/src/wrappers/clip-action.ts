import { TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Box } from '../spaces/box.js';
import { ActionWrapper } from './wrapper.js';

/**
 * Clips continuous actions into the inner Box bounds, so policies with unbounded outputs (Gaussian heads) can act.
 * The exposed action space is unbounded with the same shape, as in Gymnasium.
 */
export class ClipAction<O> extends ActionWrapper<O, Float32Array, Float32Array> {
  readonly #inner: Box;
  readonly #space: Box;

  constructor(env: Env<O, Float32Array>) {
    super(env);
    this.#inner = requireBox(env, 'ClipAction');
    this.#space = new Box(-Infinity, Infinity, { shape: this.#inner.shape });
  }

  override get actionSpace(): Box {
    return this.#space;
  }

  protected action(action: Float32Array): Float32Array {
    const { low, high } = this.#inner;
    const out = new Float32Array(action.length);
    for (let i = 0; i < action.length; i++) {
      out[i] = Math.min(Math.max(action[i] as number, low[i] as number), high[i] as number);
    }
    return out;
  }
}

export function requireBox(env: Env<unknown, unknown>, who: string): Box {
  if (!(env.actionSpace instanceof Box)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `${who} needs an environment with a Box action space`);
  }
  return env.actionSpace;
}
