import type { Rng } from '../rng/rng.js';
import type { ScenarioEventKind } from '../scenario.js';

/**
 * The minimal environment contract the host and pipelines rely on. @twinforge/rl defines the full Gymnasium-style
 * `Env` / PettingZoo-style `ParallelEnv` with concrete spaces; those satisfy these interfaces structurally, so core
 * never imports rl (imports point one way).
 */
export interface SpaceLike<T = unknown> {
  sample(rng: Rng): T;
  contains(value: unknown): boolean;
  /** JSON description, stored in dataset metadata. */
  toJSON(): unknown;
}

export type Info = Record<string, unknown>;

export interface ResetOptions {
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<O> {
  observation: O;
  info: Info;
}

export interface StepResult<O> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface CoreEnv<O = unknown, A = unknown> {
  readonly observationSpace: SpaceLike<O>;
  readonly actionSpace: SpaceLike<A>;
  /** Scenario event kinds this environment can replay; any other kind is rejected. */
  readonly supportedEvents?: readonly ScenarioEventKind[];
  reset(options?: ResetOptions): ResetResult<O>;
  step(action: A): StepResult<O>;
  close?(): void;
}

export interface ParallelResetResult<O> {
  observations: Record<string, O>;
  infos: Record<string, Info>;
}

export interface ParallelStepResult<O> {
  observations: Record<string, O>;
  rewards: Record<string, number>;
  terminations: Record<string, boolean>;
  truncations: Record<string, boolean>;
  infos: Record<string, Info>;
}

export interface CoreParallelEnv<O = unknown, A = unknown> {
  readonly possibleAgents: readonly string[];
  /** Agents alive now; empty once the episode is over. */
  readonly agents: readonly string[];
  readonly supportedEvents?: readonly ScenarioEventKind[];
  observationSpace(agent: string): SpaceLike<O>;
  actionSpace(agent: string): SpaceLike<A>;
  reset(options?: ResetOptions): ParallelResetResult<O>;
  step(actions: Record<string, A>): ParallelStepResult<O>;
  /** Global state for centralised critics. */
  state?(): unknown;
  close?(): void;
}

export type AnyEnv = CoreEnv | CoreParallelEnv;

export function isParallelEnv(env: AnyEnv): env is CoreParallelEnv {
  return Array.isArray((env as CoreParallelEnv).possibleAgents);
}
