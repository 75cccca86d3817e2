/** Per-feature statistics of meta/stats.json (LeRobot's keys): one entry per vector component. */
export interface FeatureStats {
  min: number[];
  max: number[];
  mean: number[];
  std: number[];
  count: number[];
}

/**
 * Streaming min / max / mean / population std of a `width`-wide vector feature (Welford, in float64), fed from a flat
 * typed array row by row.
 */
export class FeatureStatsAccumulator {
  readonly #min: Float64Array;
  readonly #max: Float64Array;
  readonly #mean: Float64Array;
  readonly #m2: Float64Array;
  #count = 0;

  constructor(readonly width: number) {
    this.#min = new Float64Array(width).fill(Number.POSITIVE_INFINITY);
    this.#max = new Float64Array(width).fill(Number.NEGATIVE_INFINITY);
    this.#mean = new Float64Array(width);
    this.#m2 = new Float64Array(width);
  }

  /** Adds row `row` of `values` (row-major, `width` values per row). */
  add(values: ArrayLike<number | bigint>, row: number): void {
    this.#count++;
    const n = this.#count;
    for (let j = 0; j < this.width; j++) {
      const v = Number(values[row * this.width + j]);
      if (v < (this.#min[j] as number)) this.#min[j] = v;
      if (v > (this.#max[j] as number)) this.#max[j] = v;
      const delta = v - (this.#mean[j] as number);
      this.#mean[j] = (this.#mean[j] as number) + delta / n;
      this.#m2[j] = (this.#m2[j] as number) + delta * (v - (this.#mean[j] as number));
    }
  }

  /**
   * Adds rows 0..rows-1 of `values` (those whose `skip` byte is 0, if given): the same Welford updates in the same
   * order as calling `add` row by row, so the result is bit for bit the same, in loops that see one array type each
   * (`add` is called with float32, float64 and bigint arrays, which made it several times slower).
   */
  addRows(values: Float32Array | Float64Array, rows: number, skip?: Uint8Array): this {
    const width = this.width;
    const min = this.#min;
    const max = this.#max;
    const mean = this.#mean;
    const m2 = this.#m2;
    let n = this.#count;
    if (width === 1) {
      // One component: the running state stays in registers.
      let lo = min[0] as number;
      let hi = max[0] as number;
      let mu = mean[0] as number;
      let ss = m2[0] as number;
      for (let i = 0; i < rows; i++) {
        if (skip !== undefined && skip[i] !== 0) continue;
        n++;
        const v = values[i] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        const delta = v - mu;
        mu = mu + delta / n;
        ss = ss + delta * (v - mu);
      }
      [min[0], max[0], mean[0], m2[0]] = [lo, hi, mu, ss];
      this.#count = n;
      return this;
    }
    for (let i = 0; i < rows; i++) {
      if (skip !== undefined && skip[i] !== 0) continue;
      n++;
      const o = i * width;
      for (let j = 0; j < width; j++) {
        const v = values[o + j] as number;
        if (v < (min[j] as number)) min[j] = v;
        if (v > (max[j] as number)) max[j] = v;
        const delta = v - (mean[j] as number);
        mean[j] = (mean[j] as number) + delta / n;
        m2[j] = (m2[j] as number) + delta * (v - (mean[j] as number));
      }
    }
    this.#count = n;
    return this;
  }

  result(): FeatureStats {
    const n = this.#count;
    const empty = n === 0;
    return {
      min: Array.from(this.#min, (v) => (empty ? 0 : v)),
      max: Array.from(this.#max, (v) => (empty ? 0 : v)),
      mean: Array.from(this.#mean),
      std: Array.from(this.#m2, (m2) => (empty ? 0 : Math.sqrt(m2 / n))),
      count: [n],
    };
  }
}
