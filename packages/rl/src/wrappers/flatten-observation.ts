import type { Env } from '../env/env.js';
import type { Box } from '../spaces/box.js';
import { flattenSpace } from '../spaces/flatten-space.js';
import type { Space } from '../spaces/space.js';
import { ObservationWrapper } from './wrapper.js';

/** Turns any observation (Dict, Tuple, Discrete, ...) into a flat float32 vector, what MLP policies consume. */
export class FlattenObservation<IO, A> extends ObservationWrapper<Float32Array, A, IO> {
  readonly #space: Box;
  readonly #inner: Space<IO>;

  constructor(env: Env<IO, A>) {
    super(env);
    this.#inner = env.observationSpace;
    this.#space = flattenSpace(env.observationSpace);
  }

  override get observationSpace(): Box {
    return this.#space;
  }

  protected observation(observation: IO): Float32Array {
    // A fresh array per step: callers keep observations (replay buffers, logs), so a shared buffer would alias.
    const out = new Float32Array(this.#space.flatdim);
    this.#inner.flattenInto(observation, out, 0);
    return out;
  }
}
