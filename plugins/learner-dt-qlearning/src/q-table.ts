import { assertFinite, type Rng, TwinforgeError } from '@twinforge/core';

/** A dense Q-table: states × actions float64, row-major. */
export class QTable {
  readonly values: Float64Array;

  constructor(
    readonly states: number,
    readonly actions: number,
    init = 0,
  ) {
    if (!(states >= 1 && actions >= 1)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `a Q-table needs >= 1 state and action, got ${states} x ${actions}`);
    }
    this.values = new Float64Array(states * actions).fill(init);
  }

  get(state: number, action: number): number {
    return this.values[state * this.actions + action] as number;
  }

  max(state: number): number {
    const base = state * this.actions;
    let best = this.values[base] as number;
    for (let a = 1; a < this.actions; a++) {
      const v = this.values[base + a] as number;
      if (v > best) best = v;
    }
    return best;
  }

  /**
   * The greedy action, ties broken uniformly at random when `rng` is given (else the lowest index). Random ties
   * matter here: with equal initial values a fixed tie-break would always try action 0 first and bias the lock-in the
   * paper describes towards one action.
   */
  greedy(state: number, rng?: Rng): number {
    const base = state * this.actions;
    let best = this.values[base] as number;
    let choice = 0;
    let ties = 1;
    for (let a = 1; a < this.actions; a++) {
      const v = this.values[base + a] as number;
      if (v > best) {
        best = v;
        choice = a;
        ties = 1;
      } else if (v === best && rng) {
        ties++;
        if (rng.int(1, ties) === 1) choice = a; // reservoir sampling over the tied actions
      }
    }
    return choice;
  }

  /** Q(s, a) ← Q(s, a) + α·(target − Q(s, a)). */
  update(state: number, action: number, target: number, alpha: number): void {
    const i = state * this.actions + action;
    const q = this.values[i] as number;
    this.values[i] = q + alpha * (assertFinite(target, 'Q target') - q);
  }
}
