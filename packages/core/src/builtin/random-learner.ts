import { defer, type Observable } from 'rxjs';
import { z } from 'zod';
import { type AnyEnv, isParallelEnv } from '../contracts/env.js';
import type { ActOptions, Learner, Policy, TrainContext, TrainEvent } from '../contracts/learner.js';
import { runEpisodes } from '../pipeline/episode-loop.js';
import type { Rng } from '../rng/rng.js';

export const randomLearnerConfigSchema = z.strictObject({});

/** Samples the action space uniformly: the floor every learner must beat, and the default learner of a pipeline. */
export class RandomLearner implements Learner {
  #env: AnyEnv | undefined;
  constructor(private readonly rng: Rng) {}

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => {
      this.#env = ctx.env;
      return runEpisodes(ctx, this.policy());
    });
  }

  policy(): Policy {
    return {
      act: (_observation: unknown, options: ActOptions) => {
        const env = this.#env;
        if (!env) throw new Error('RandomLearner.policy() needs train() to have seen an environment');
        const space = isParallelEnv(env)
          ? env.actionSpace(options.agent ?? env.possibleAgents[0] ?? '')
          : env.actionSpace;
        return space.sample(this.rng);
      },
    };
  }
}
