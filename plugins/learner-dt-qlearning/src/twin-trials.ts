import type { Rng } from '@twinforge/core';
import type { DigitalTwin, DomainPolicy, PredictionRollout, TwinSnapshot } from '@twinforge/twin';

export interface TwinTrialsOptions {
  /** n: actions evaluated per state, the physical one included. */
  trials: number;
  /** k: steps of each look-ahead (the tried action, then the policy). */
  predictionSteps: number;
  /** Look-aheads per evaluated action, each in its own fork with its own random draws. */
  predictionRollouts: number;
  gamma: number;
  actions: number;
  rng: Rng;
  /** Makes the twin from the first mirrored state (lazily, since the environment has a state only after reset). */
  createTwin: (initial: TwinSnapshot) => DigitalTwin;
}

/** One look-ahead of one tried action. */
export interface TrialRollout {
  action: number;
  rollout: PredictionRollout<unknown>;
}

/**
 * The digital-space side of DT-enhanced RL, shared by the tabular and the DQN learner: keeps the twin's identical
 * domain mirrored on the physical state, tries the n − 1 other actions of a state in forked domains (each followed by
 * k − 1 policy steps), and looks k − 1 steps ahead from the physical next state. Learners turn the rollouts into
 * targets (tabular) or replay transitions (DQN).
 */
export class TwinTrials {
  twinSteps = 0;
  readonly #o: TwinTrialsOptions;
  readonly #order: Int32Array;
  #twin: DigitalTwin | undefined;
  #mirrored: TwinSnapshot | undefined;

  constructor(options: TwinTrialsOptions) {
    this.#o = options;
    this.#order = Int32Array.from({ length: options.actions }, (_, i) => i);
  }

  /** Mirrors the physical state into the identical domain once per state (a new episode also clears any delay). */
  sync(snapshot: TwinSnapshot, newEpisode: boolean): void {
    if (!this.#twin) {
      this.#twin = this.#o.createTwin(snapshot);
      this.#mirrored = snapshot;
      return;
    }
    if (snapshot === this.#mirrored) return;
    if (newEpisode) this.#twin.resync(snapshot);
    else this.#twin.mirror(snapshot);
    this.#mirrored = snapshot;
  }

  /**
   * Tries n − 1 actions other than `taken`, drawn uniformly without replacement, each in `predictionRollouts` forks of
   * the identical domain for `predictionSteps` steps (the action, then `policy`).
   */
  others(taken: number, policy: DomainPolicy<unknown, unknown>): TrialRollout[] {
    const extra = this.#o.trials - 1;
    const twin = this.#twin;
    if (extra <= 0 || !twin) return [];
    const order = this.#order;
    const last = order.length - 1;
    // Partial Fisher-Yates over the actions except `taken`, which is parked at the end first.
    const at = order.indexOf(taken);
    order[at] = order[last] as number;
    order[last] = taken;
    const out: TrialRollout[] = [];
    for (let i = 0; i < extra; i++) {
      const j = this.#o.rng.int(i, last - 1);
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
      const action = order[i] as number;
      for (const rollout of this.#rollouts(this.#o.predictionSteps, policy, action, 'trial'))
        out.push({ action, rollout });
    }
    return out;
  }

  /** Look-aheads of `steps` policy steps from the identical domain's state (after mirroring `snapshot`). */
  lookAhead(
    snapshot: TwinSnapshot,
    steps: number,
    policy: DomainPolicy<unknown, unknown>,
  ): PredictionRollout<unknown>[] {
    this.sync(snapshot, false);
    return this.#rollouts(steps, policy, undefined, 'value');
  }

  /** Ends the twin and every domain it forked. */
  dispose(): void {
    this.#twin?.dispose();
    this.#twin = undefined;
    this.#mirrored = undefined;
  }

  #rollouts(
    steps: number,
    policy: DomainPolicy<unknown, unknown>,
    first: number | undefined,
    label: string,
  ): PredictionRollout<unknown>[] {
    const forks = (this.#twin as DigitalTwin).fork(this.#o.predictionRollouts, { label });
    const out: PredictionRollout<unknown>[] = [];
    for (const fork of forks) {
      const r = fork.rollout(steps, policy, this.#o.gamma, first);
      this.twinSteps += r.steps;
      out.push(r);
      fork.dispose();
    }
    return out;
  }
}
