import { type AnyEnv, isParallelEnv, TwinforgeError } from '@twinforge/core';
import { Discrete, flatten, type Space, spaceFromJSON } from '@twinforge/rl';

/** What DQN needs to know about an environment: a flat observation vector and n discrete actions. */
export interface DiscreteEnvSpec {
  readonly obsDim: number;
  readonly nActions: number;
  /** Gymnasium's Discrete(start): env actions are start ... start + n - 1, network outputs 0 ... n - 1. */
  readonly actionStart: number;
  /** Any observation of the space as a Float32Array (Box observations pass through uncopied). */
  toVector(observation: unknown): Float32Array;
}

/**
 * Reads the spaces through their JSON form, so environments built on core's toy spaces or on @twinforge/rl's
 * classes (or any plugin's spaces that serialise the same way) all work without sharing a class.
 */
export function discreteEnvSpec(env: AnyEnv): DiscreteEnvSpec {
  if (isParallelEnv(env)) {
    throw new TwinforgeError(
      'LEARNER_FAILED',
      'dqn trains single-agent environments; this one is a ParallelEnv (use a multi-agent learner)',
    );
  }
  const actionSpace = spaceFromJSON(env.actionSpace.toJSON(), 'actionSpace');
  if (!(actionSpace instanceof Discrete)) {
    throw new TwinforgeError(
      'LEARNER_FAILED',
      `dqn needs a Discrete action space, got ${String((env.actionSpace.toJSON() as { type?: unknown }).type)}`,
    );
  }
  const obsSpace = spaceFromJSON(env.observationSpace.toJSON(), 'observationSpace') as Space<unknown>;
  const obsDim = obsSpace.flatdim;
  return {
    obsDim,
    nActions: actionSpace.n,
    actionStart: actionSpace.start,
    toVector(observation) {
      if (observation instanceof Float32Array && observation.length === obsDim) return observation;
      const flat = flatten(obsSpace, observation);
      return flat instanceof Float32Array ? flat : Float32Array.from(flat);
    },
  };
}
