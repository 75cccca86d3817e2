import type { Info, ResetOptions, ResetResult, StepResult } from '@twinforge/core';
import type { Env } from '../env/env.js';
import type { Space } from '../spaces/space.js';

/**
 * Base of all wrappers: forwards everything to the inner environment, so a subclass overrides only what it changes.
 * `O`/`A` are what the wrapper exposes, `IO`/`IA` what the inner environment speaks; they differ only for wrappers
 * that transform observations or actions, and those override the matching space and method.
 */
export class Wrapper<O = unknown, A = unknown, IO = O, IA = A> implements Env<O, A> {
  constructor(readonly env: Env<IO, IA>) {}

  get observationSpace(): Space<O> {
    return this.env.observationSpace as unknown as Space<O>;
  }

  get actionSpace(): Space<A> {
    return this.env.actionSpace as unknown as Space<A>;
  }

  get metadata(): Readonly<Record<string, unknown>> | undefined {
    return this.env.metadata;
  }

  /** The innermost environment, past every wrapper. */
  get unwrapped(): Env<unknown, unknown> {
    let e: Env<unknown, unknown> = this.env as Env<unknown, unknown>;
    while (e instanceof Wrapper) e = e.env as Env<unknown, unknown>;
    return e;
  }

  reset(options?: ResetOptions): ResetResult<O> {
    return this.env.reset(options) as unknown as ResetResult<O>;
  }

  step(action: A): StepResult<O> {
    return this.env.step(action as unknown as IA) as unknown as StepResult<O>;
  }

  close(): void {
    this.env.close?.();
  }
}

/** Transforms every observation (from reset and step) through `observation`. */
export abstract class ObservationWrapper<O, A, IO> extends Wrapper<O, A, IO, A> {
  abstract override get observationSpace(): Space<O>;
  protected abstract observation(observation: IO): O;

  override reset(options?: ResetOptions): ResetResult<O> {
    const r = this.env.reset(options);
    return { observation: this.observation(r.observation), info: r.info };
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    return { ...r, observation: this.observation(r.observation) };
  }
}

/** Transforms every action through `action` before the inner environment sees it. */
export abstract class ActionWrapper<O, A, IA> extends Wrapper<O, A, O, IA> {
  abstract override get actionSpace(): Space<A>;
  protected abstract action(action: A): IA;

  override step(action: A): StepResult<O> {
    return this.env.step(this.action(action));
  }
}

/** Transforms every reward through `reward`; spaces are unchanged. */
export abstract class RewardWrapper<O, A> extends Wrapper<O, A> {
  protected abstract reward(reward: number, info: Info): number;

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    return { ...r, reward: this.reward(r.reward, r.info) };
  }
}
