import { type Rng, TwinforgeError } from '@twinforge/core';
import { MinTree } from './min-tree.js';
import { ReplayBuffer, type TransitionInput } from './replay-buffer.js';
import { SumTree } from './sum-tree.js';
import { createTransitionBatch, type TransitionBatch } from './transition-batch.js';

export interface PrioritizedReplayOptions {
  /** How strongly priorities shape sampling: P(i) = p_i^α / Σ_k p_k^α (0 = uniform). Default 0.6. */
  alpha?: number;
  /** Importance-sampling exponent, usually annealed towards 1 during training. Default 0.4. */
  beta?: number;
  /** ε_A added to |δ| for agent transitions. Default 1e-3. */
  epsilonAgent?: number;
  /** ε_D added to |δ| for demonstration transitions (larger, so demonstrations keep being replayed). Default 1. */
  epsilonDemo?: number;
  /**
   * Slots kept for demonstrations, never overwritten by agent data (DQfD keeps its demonstrations for the whole
   * run). Default 0: demonstrations share the ring with agent data.
   */
  demoCapacity?: number;
}

export interface PrioritizedBatch extends TransitionBatch {
  /** Importance-sampling weights (N·P(i))^-β, normalised by the largest possible weight. */
  readonly weights: Float32Array;
  /** 1 where the row is a demonstration. */
  readonly isDemo: Uint8Array;
}

/**
 * Prioritized experience replay (Schaul et al.) with the demonstration bonus of DQfD as DIRS Eq. 15 uses it:
 * p_i = |δ_i| + ε_A for agent transitions and |δ_i| + ε_D for demonstrations. New transitions enter with the largest
 * priority seen so far, so each is replayed at least about once before its TD error is known. Sampling is
 * stratified (one draw per equal slice of the total), which lowers the variance of a batch.
 */
export class PrioritizedReplay {
  readonly storage: ReplayBuffer;
  readonly alpha: number;
  beta: number;
  readonly epsilonAgent: number;
  readonly epsilonDemo: number;
  readonly #tree: SumTree;
  readonly #min: MinTree;
  readonly #demo: Uint8Array;
  /** Largest raw priority |δ| + ε seen, before the α power. */
  #maxPriority = 1;

  constructor(capacity: number, obsDim: number, actionDim: number, options: PrioritizedReplayOptions = {}) {
    this.storage = new ReplayBuffer(capacity, obsDim, actionDim, { reserved: options.demoCapacity ?? 0 });
    this.alpha = options.alpha ?? 0.6;
    this.beta = options.beta ?? 0.4;
    this.epsilonAgent = options.epsilonAgent ?? 1e-3;
    this.epsilonDemo = options.epsilonDemo ?? 1;
    if (!(this.alpha >= 0) || !(this.beta >= 0)) {
      throw new TwinforgeError('INVALID_ARGUMENT', `alpha and beta must be >= 0, got ${this.alpha}, ${this.beta}`);
    }
    if (!(this.epsilonAgent > 0) || !(this.epsilonDemo > 0)) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        'epsilonAgent and epsilonDemo must be > 0 (no transition may starve)',
      );
    }
    this.#tree = new SumTree(capacity);
    this.#min = new MinTree(capacity);
    this.#demo = new Uint8Array(capacity);
  }

  get size(): number {
    return this.storage.size;
  }

  get capacity(): number {
    return this.storage.capacity;
  }

  /** Σ p_i^α over stored transitions. */
  get totalPriority(): number {
    return this.#tree.total;
  }

  /** The sampling weight p_i^α of a slot. */
  priority(slot: number): number {
    return this.#tree.get(slot);
  }

  isDemonstration(slot: number): boolean {
    return this.#demo[slot] === 1;
  }

  add(t: TransitionInput, options: { demo?: boolean } = {}): number {
    const slot = options.demo && this.storage.reserved > 0 ? this.storage.addReserved(t) : this.storage.add(t);
    this.#demo[slot] = options.demo ? 1 : 0;
    this.#setPriority(slot, this.#maxPriority ** this.alpha);
    return slot;
  }

  createBatch(batchSize: number): PrioritizedBatch {
    return {
      ...createTransitionBatch(batchSize, this.storage.obsDim, this.storage.actionDim),
      weights: new Float32Array(batchSize),
      isDemo: new Uint8Array(batchSize),
    };
  }

  sample(rng: Rng, out: PrioritizedBatch): PrioritizedBatch {
    const n = this.storage.size;
    if (n === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'cannot sample from an empty PrioritizedReplay');
    const total = this.#tree.total;
    const segment = total / out.size;
    const minP = this.#min.min;
    // The largest weight belongs to the least likely transition; dividing by it keeps weights in (0, 1].
    const maxW = (n * (minP / total)) ** -this.beta;
    for (let i = 0; i < out.size; i++) {
      const slot = this.#tree.find(rng.uniform(i * segment, (i + 1) * segment));
      out.indices[i] = slot;
      out.weights[i] = (n * (this.#tree.get(slot) / total)) ** -this.beta / maxW;
      out.isDemo[i] = this.#demo[slot] as number;
    }
    this.storage.gather(out);
    return out;
  }

  /** Sets p_i = (|δ_i| + ε)^α after a learning step, with ε by the transition's origin (Eq. 15). */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    if (indices.length !== tdErrors.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'indices and tdErrors must have the same length');
    }
    for (let i = 0; i < indices.length; i++) {
      const slot = indices[i] as number;
      const delta = tdErrors[i] as number;
      if (!Number.isFinite(delta)) {
        throw new TwinforgeError('NUMERIC_INVALID', `TD error for slot ${slot} is not finite: ${delta}`);
      }
      if (!this.storage.isOccupied(slot)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `slot ${slot} is empty`);
      }
      const p = Math.abs(delta) + (this.#demo[slot] === 1 ? this.epsilonDemo : this.epsilonAgent);
      if (p > this.#maxPriority) this.#maxPriority = p;
      this.#setPriority(slot, p ** this.alpha);
    }
  }

  #setPriority(slot: number, weight: number): void {
    this.#tree.set(slot, weight);
    this.#min.set(slot, weight);
  }
}
