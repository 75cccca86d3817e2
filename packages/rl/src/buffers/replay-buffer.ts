import { type Rng, TwinforgeError } from '@twinforge/core';
import { createTransitionBatch, type TransitionBatch } from './transition-batch.js';

/** One transition as the caller has it; arrays are copied in, so the caller may reuse them. */
export interface TransitionInput {
  observation: ArrayLike<number>;
  action: ArrayLike<number> | number;
  reward: number;
  nextObservation: ArrayLike<number>;
  terminated: boolean;
}

export interface ReplayBufferOptions {
  /**
   * Slots at the start kept for `addReserved` and never overwritten (DQfD / DIRS keep demonstrations for the whole
   * run); `add` rings over the remaining `capacity - reserved` slots. Default 0.
   */
  reserved?: number;
}

/**
 * A uniform replay buffer: a ring over preallocated typed arrays holding the last `capacity` transitions
 * (minus the reserved slots). Neither `add` nor `sample` allocates, so a training loop does not churn the garbage
 * collector at millions of steps.
 */
export class ReplayBuffer {
  readonly observations: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObservations: Float32Array;
  readonly terminated: Uint8Array;
  readonly reserved: number;
  #reservedCount = 0;
  #ringSize = 0;
  #next: number;

  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly actionDim: number,
    options: ReplayBufferOptions = {},
  ) {
    for (const [name, v] of [
      ['capacity', capacity],
      ['obsDim', obsDim],
      ['actionDim', actionDim],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 1) {
        throw new TwinforgeError('INVALID_ARGUMENT', `ReplayBuffer ${name} must be an integer >= 1, got ${v}`);
      }
    }
    this.observations = new Float32Array(capacity * obsDim);
    this.actions = new Float32Array(capacity * actionDim);
    this.rewards = new Float32Array(capacity);
    this.nextObservations = new Float32Array(capacity * obsDim);
    this.terminated = new Uint8Array(capacity);
    this.reserved = options.reserved ?? 0;
    if (!Number.isSafeInteger(this.reserved) || this.reserved < 0 || this.reserved >= capacity) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `reserved must be an integer in [0, capacity), got ${this.reserved}`,
      );
    }
    this.#next = this.reserved;
  }

  /** Transitions stored now (at most `capacity`). */
  get size(): number {
    return this.#reservedCount + this.#ringSize;
  }

  /** Whether a slot holds a transition (reserved slots fill from 0, ring slots from `reserved`). */
  isOccupied(slot: number): boolean {
    return (
      (slot >= 0 && slot < this.#reservedCount) || (slot >= this.reserved && slot < this.reserved + this.#ringSize)
    );
  }

  /** The slot the next `add` writes to. */
  get nextIndex(): number {
    return this.#next;
  }

  /** Stores a transition, overwriting the oldest non-reserved one once full; returns its slot. */
  add(t: TransitionInput): number {
    const slot = this.#next;
    this.#write(slot, t);
    const ring = this.capacity - this.reserved;
    this.#next = this.reserved + ((slot - this.reserved + 1) % ring);
    if (this.#ringSize < ring) this.#ringSize++;
    return slot;
  }

  /** Stores a transition in the reserved region, where it stays for the buffer's life; returns its slot. */
  addReserved(t: TransitionInput): number {
    if (this.#reservedCount >= this.reserved) {
      throw new TwinforgeError('INVALID_ARGUMENT', `the ${this.reserved} reserved slots are full`);
    }
    const slot = this.#reservedCount;
    this.#write(slot, t);
    this.#reservedCount++;
    return slot;
  }

  #write(slot: number, t: TransitionInput): void {
    const { obsDim, actionDim } = this;
    if (t.observation.length !== obsDim || t.nextObservation.length !== obsDim) {
      throw new TwinforgeError('INVALID_ARGUMENT', `observations must have length ${obsDim}`);
    }
    copyInto(this.observations, slot * obsDim, t.observation);
    copyInto(this.nextObservations, slot * obsDim, t.nextObservation);
    if (typeof t.action === 'number') {
      if (actionDim !== 1) throw new TwinforgeError('INVALID_ARGUMENT', `action must have length ${actionDim}`);
      this.actions[slot] = t.action;
    } else {
      if (t.action.length !== actionDim) {
        throw new TwinforgeError('INVALID_ARGUMENT', `action must have length ${actionDim}`);
      }
      copyInto(this.actions, slot * actionDim, t.action);
    }
    this.rewards[slot] = t.reward;
    this.terminated[slot] = t.terminated ? 1 : 0;
  }

  /** A batch shaped for this buffer, to pass to `sample` again and again. */
  createBatch(batchSize: number): TransitionBatch {
    return createTransitionBatch(batchSize, this.obsDim, this.actionDim);
  }

  /** Fills `out` with `out.size` transitions drawn uniformly with replacement. */
  sample(rng: Rng, out: TransitionBatch): TransitionBatch {
    const size = this.size;
    if (size === 0) throw new TwinforgeError('INVALID_ARGUMENT', 'cannot sample from an empty ReplayBuffer');
    const rc = this.#reservedCount;
    for (let i = 0; i < out.size; i++) {
      const k = rng.int(0, size - 1);
      out.indices[i] = k < rc ? k : this.reserved + (k - rc);
    }
    return this.gather(out);
  }

  /** Copies the rows named by `out.indices` into `out`. */
  gather(out: TransitionBatch): TransitionBatch {
    const { obsDim, actionDim } = this;
    if (out.observations.length !== out.size * obsDim || out.actions.length !== out.size * actionDim) {
      throw new TwinforgeError('INVALID_ARGUMENT', 'batch was not created for this buffer (dimensions differ)');
    }
    for (let i = 0; i < out.size; i++) {
      const s = out.indices[i] as number;
      if (!this.isOccupied(s)) throw new TwinforgeError('INVALID_ARGUMENT', `slot ${s} is empty`);
      out.observations.set(this.observations.subarray(s * obsDim, (s + 1) * obsDim), i * obsDim);
      out.nextObservations.set(this.nextObservations.subarray(s * obsDim, (s + 1) * obsDim), i * obsDim);
      out.actions.set(this.actions.subarray(s * actionDim, (s + 1) * actionDim), i * actionDim);
      out.rewards[i] = this.rewards[s] as number;
      out.terminated[i] = this.terminated[s] as number;
    }
    return out;
  }
}

function copyInto(dst: Float32Array, offset: number, src: ArrayLike<number>): void {
  for (let i = 0; i < src.length; i++) dst[offset + i] = src[i] as number;
}
