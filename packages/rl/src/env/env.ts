import type { CoreEnv, CoreParallelEnv } from '@twinforge/core';
import type { Space } from '../spaces/space.js';

/**
 * A Gymnasium-style single-agent environment with concrete spaces. It is a `CoreEnv`, so the host and pipelines
 * accept it as is; the concrete spaces add flatten helpers and JSON that learners and datasets need.
 * `step` reports `terminated` (the MDP reached a terminal state: do not bootstrap) apart from `truncated` (cut off by
 * a time limit or similar: bootstrap from the last observation); merging them biases value targets.
 */
export interface Env<O = unknown, A = unknown> extends CoreEnv<O, A> {
  readonly observationSpace: Space<O>;
  readonly actionSpace: Space<A>;
  /** Free-form facts (render modes, frame rate, reward range), as Gymnasium's `metadata`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * A PettingZoo-style parallel multi-agent environment: every live agent acts each step. `state()` gives the global
 * state for centralised critics (MADDPG, QMIX); `stateSpace` describes it when the environment offers one.
 */
export interface ParallelEnv<O = unknown, A = unknown> extends CoreParallelEnv<O, A> {
  observationSpace(agent: string): Space<O>;
  actionSpace(agent: string): Space<A>;
  readonly stateSpace?: Space<unknown>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}
