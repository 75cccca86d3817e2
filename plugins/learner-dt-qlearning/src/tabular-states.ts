import { type SpaceLike, TwinforgeError } from '@twinforge/core';

/**
 * Maps observations to rows of a Q-table. A `Discrete(n)` observation is its own index; a bounded `Box` is cut into a
 * uniform grid (bins per dimension between its low and high bounds, values outside clamped to the edge bins) and the
 * cell index is row-major. Built from the space's JSON so it works with any space implementation (core's contract),
 * not only @twinforge/rl's classes.
 */
export class TabularStates {
  readonly count: number;
  readonly #low: Float64Array;
  readonly #width: Float64Array;
  readonly #bins: Int32Array;
  readonly #stride: Int32Array;
  readonly #discreteStart: number | undefined;

  constructor(space: SpaceLike, bins: number | readonly number[]) {
    const json = space.toJSON() as {
      type?: string;
      n?: number;
      start?: number;
      shape?: number[];
      low?: unknown;
      high?: unknown;
    };
    if (json.type === 'Discrete' && Number.isInteger(json.n)) {
      this.count = json.n as number;
      this.#discreteStart = json.start ?? 0;
      this.#low = new Float64Array(0);
      this.#width = new Float64Array(0);
      this.#bins = new Int32Array(0);
      this.#stride = new Int32Array(0);
      return;
    }
    if (json.type !== 'Box' || !Array.isArray(json.shape)) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `tabular Q-learning needs a Discrete or bounded Box observation space, got ${JSON.stringify(json)}`,
        { details: { fields: ['observationSpace'] } },
      );
    }
    const dims = json.shape.reduce((a, b) => a * b, 1);
    const low = bounds(json.low, dims, 'low');
    const high = bounds(json.high, dims, 'high');
    const perDim = typeof bins === 'number' ? new Array<number>(dims).fill(bins) : [...bins];
    if (perDim.length !== dims) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `bins has ${perDim.length} entries for ${dims} observation dimensions`,
        {
          details: { fields: ['bins'] },
        },
      );
    }
    this.#discreteStart = undefined;
    this.#low = Float64Array.from(low);
    this.#bins = Int32Array.from(perDim);
    this.#width = Float64Array.from(low, (lo, i) => ((high[i] as number) - lo) / (perDim[i] as number));
    this.#stride = new Int32Array(dims);
    let count = 1;
    for (let i = dims - 1; i >= 0; i--) {
      this.#stride[i] = count;
      count *= perDim[i] as number;
    }
    if (!Number.isSafeInteger(count) || count > 50_000_000) {
      throw new TwinforgeError('CONFIG_INVALID', `bins give ${count} states; a Q-table that large is not tabular`, {
        details: { fields: ['bins'] },
      });
    }
    this.count = count;
  }

  /** Row index of an observation. */
  index(observation: unknown): number {
    if (this.#discreteStart !== undefined) {
      const i = (observation as number) - this.#discreteStart;
      if (!Number.isInteger(i) || i < 0 || i >= this.count) {
        throw new TwinforgeError(
          'INVALID_ARGUMENT',
          `observation ${String(observation)} is outside the Discrete space`,
        );
      }
      return i;
    }
    const obs = observation as ArrayLike<number>;
    let index = 0;
    for (let d = 0; d < this.#bins.length; d++) {
      const bins = this.#bins[d] as number;
      const width = this.#width[d] as number;
      let b = width > 0 ? Math.floor(((obs[d] as number) - (this.#low[d] as number)) / width) : 0;
      if (b < 0 || Number.isNaN(b)) b = 0;
      else if (b >= bins) b = bins - 1;
      index += b * (this.#stride[d] as number);
    }
    return index;
  }
}

function bounds(value: unknown, dims: number, name: string): number[] {
  const read = (v: unknown): number => {
    const n = typeof v === 'number' ? v : Number.NaN;
    if (!Number.isFinite(n)) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `tabular Q-learning needs finite Box bounds; ${name} is ${String(v)}`,
        {
          details: { fields: ['observationSpace'] },
        },
      );
    }
    return n;
  };
  if (Array.isArray(value)) {
    if (value.length !== dims)
      throw new TwinforgeError('CONFIG_INVALID', `Box ${name} has ${value.length} values for ${dims} dims`);
    return value.map(read);
  }
  return new Array<number>(dims).fill(read(value));
}
