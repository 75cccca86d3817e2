import {
  type CoreEnv,
  createRng,
  type Scenario,
  silentLogger,
  type TrainContext,
  type TrainEvent,
} from '@twinforge/core';
import { filter, lastValueFrom, map, type Observable, toArray } from 'rxjs';

const empty: Scenario = { id: 'none', seed: 0, params: {}, events: [], provenance: { generator: 'test' } };

/** A TrainContext without a pipeline: what a script or test needs to call `learner.train` directly. */
export function trainContext(env: CoreEnv, episodes: number, seed = 1): TrainContext {
  return {
    env,
    rng: createRng(seed).split('training'),
    episodes,
    maxStepsPerEpisode: 10_000,
    signal: new AbortController().signal,
    logger: silentLogger,
    scenarios: { next: () => empty },
    record: () => {},
    feedback: () => {},
  };
}

export function episodeReturns(events: Observable<TrainEvent>): Promise<number[]> {
  return lastValueFrom(
    events.pipe(
      filter((e) => e.type === 'episode'),
      map((e) => (e as { return: number }).return),
      toArray(),
    ),
  );
}
