import { TwinforgeError } from '@twinforge/core';

/**
 * A binary sum tree over `capacity` non-negative priorities: O(log n) update and prefix-sum search, the core of
 * prioritized replay. Each update recomputes its ancestors from their children instead of adding a delta, so the
 * totals never drift: after any history of updates the tree holds exactly the sums a fresh tree of the same
 * priorities would hold.
 */
export class SumTree {
  /** Leaves live at [leafBase, 2 * leafBase); leafBase is a power of two so the search descends a perfect tree. */
  readonly #tree: Float64Array;
  readonly #leafBase: number;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new TwinforgeError('INVALID_ARGUMENT', `SumTree capacity must be an integer >= 1, got ${capacity}`);
    }
    let base = 1;
    while (base < capacity) base *= 2;
    this.#leafBase = base;
    this.#tree = new Float64Array(2 * base);
  }

  get total(): number {
    return this.#tree[1] as number;
  }

  get(index: number): number {
    this.#check(index);
    return this.#tree[this.#leafBase + index] as number;
  }

  set(index: number, priority: number): void {
    this.#check(index);
    if (!(priority >= 0) || !Number.isFinite(priority)) {
      throw new TwinforgeError('NUMERIC_INVALID', `priority must be finite and >= 0, got ${priority}`);
    }
    const t = this.#tree;
    let i = this.#leafBase + index;
    t[i] = priority;
    for (i >>= 1; i >= 1; i >>= 1) t[i] = (t[2 * i] as number) + (t[2 * i + 1] as number);
  }

  /**
   * The leaf where the running sum of priorities first exceeds `prefix` (0 <= prefix < total). Rounding can make a
   * right subtree look reachable when it sums to 0; the search then stays left, so a zero-priority leaf is never
   * returned while the total is positive.
   */
  find(prefix: number): number {
    const t = this.#tree;
    if (!(this.total > 0)) throw new TwinforgeError('INVALID_ARGUMENT', 'cannot search a SumTree with total 0');
    let p = Math.min(Math.max(prefix, 0), this.total);
    let i = 1;
    while (i < this.#leafBase) {
      const left = 2 * i;
      const l = t[left] as number;
      if (p < l || !((t[left + 1] as number) > 0)) {
        i = left;
      } else {
        p -= l;
        i = left + 1;
      }
    }
    return i - this.#leafBase;
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.capacity) {
      throw new TwinforgeError('INVALID_ARGUMENT', `SumTree index ${index} is outside [0, ${this.capacity})`);
    }
  }
}
