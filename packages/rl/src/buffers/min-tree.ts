/**
 * A binary min tree over `capacity` values (empty leaves are +Infinity): O(log n) update and O(1) minimum.
 * Prioritized replay needs the smallest priority to normalise importance weights; scanning the buffer for it would
 * make every batch O(capacity).
 */
export class MinTree {
  readonly #tree: Float64Array;
  readonly #leafBase: number;

  constructor(readonly capacity: number) {
    let base = 1;
    while (base < capacity) base *= 2;
    this.#leafBase = base;
    this.#tree = new Float64Array(2 * base).fill(Infinity);
  }

  get min(): number {
    return this.#tree[1] as number;
  }

  set(index: number, value: number): void {
    const t = this.#tree;
    let i = this.#leafBase + index;
    t[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) t[i] = Math.min(t[2 * i] as number, t[2 * i + 1] as number);
  }
}
