import { type AnyEnv, isParallelEnv, TwinforgeError } from '@twinforge/core';
import { Box, flatten, type Space, spaceFromJSON } from '@twinforge/rl';

/** What TD3 needs to know about an environment: a flat observation vector and a bounded Box of actions. */
export interface BoxEnvSpec {
  readonly obsDim: number;
  readonly actionDim: number;
  readonly low: Float32Array;
  readonly high: Float32Array;
  /** Any observation of the space as a Float32Array (Box observations pass through uncopied). */
  toVector(observation: unknown): Float32Array;
}

/** Reads the spaces through their JSON form, so any plugin's spaces that serialise like rl's work. */
export function boxEnvSpec(env: AnyEnv): BoxEnvSpec {
  if (isParallelEnv(env)) {
    throw new TwinforgeError(
      'LEARNER_FAILED',
      'td3 trains single-agent environments; this one is a ParallelEnv (use a multi-agent learner)',
    );
  }
  const actionSpace = spaceFromJSON(env.actionSpace.toJSON(), 'actionSpace');
  if (!(actionSpace instanceof Box)) {
    throw new TwinforgeError(
      'LEARNER_FAILED',
      `td3 needs a Box action space, got ${String((env.actionSpace.toJSON() as { type?: unknown }).type)}`,
    );
  }
  for (let i = 0; i < actionSpace.low.length; i++) {
    if (!Number.isFinite(actionSpace.low[i] as number) || !Number.isFinite(actionSpace.high[i] as number)) {
      throw new TwinforgeError('LEARNER_FAILED', `td3 needs finite action bounds; dimension ${i} is unbounded`);
    }
  }
  const obsSpace = spaceFromJSON(env.observationSpace.toJSON(), 'observationSpace') as Space<unknown>;
  const obsDim = obsSpace.flatdim;
  return {
    obsDim,
    actionDim: actionSpace.flatdim,
    low: actionSpace.low,
    high: actionSpace.high,
    toVector(observation) {
      if (observation instanceof Float32Array && observation.length === obsDim) return observation;
      const flat = flatten(obsSpace, observation);
      return flat instanceof Float32Array ? flat : Float32Array.from(flat);
    },
  };
}
