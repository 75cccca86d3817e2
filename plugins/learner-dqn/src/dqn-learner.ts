import {
  type ActOptions,
  type Learner,
  type Logger,
  type Policy,
  type Rng,
  runEpisodes,
  type TrainContext,
  type TrainEvent,
  TwinforgeError,
} from '@twinforge/core';
import { currentBackend, initTensorBackend } from '@twinforge/tensor';
import { concatMap, defer, type Observable } from 'rxjs';
import type { DqnConfig } from './config.js';
import { DqnAgent } from './dqn-agent.js';
import { type DiscreteEnvSpec, discreteEnvSpec } from './env-spec.js';

/**
 * DQN behind core's Learner contract, for pipelines: `train(ctx)` runs core's episode loop (so every step reaches
 * the dataset sink and the curriculum) and feeds each transition to a `DqnAgent` built for the environment's
 * spaces on first use. Metrics (mean loss, ε, steps, gradient steps) follow each episode.
 */
export class DqnLearner implements Learner {
  #agent: DqnAgent | undefined;
  #spec: DiscreteEnvSpec | undefined;

  constructor(
    readonly config: DqnConfig,
    private readonly rng: Rng,
    private readonly logger?: Logger,
  ) {}

  /** The agent, once `train` or `load` has built it. */
  get agent(): DqnAgent | undefined {
    return this.#agent;
  }

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => ensureBackend(ctx.logger)).pipe(
      concatMap(() => {
        const spec = discreteEnvSpec(ctx.env);
        const agent = this.#ensureAgent(spec);
        return runEpisodes(ctx, this.policy(), {
          onTransition: (t) =>
            agent.observe({
              observation: spec.toVector(t.observation),
              action: (t.action as number) - spec.actionStart,
              reward: t.reward,
              nextObservation: spec.toVector(t.nextObservation),
              terminated: t.terminated,
              truncated: t.truncated,
            }),
          onEpisodeEnd: () => agent.takeMetrics(),
        });
      }),
    );
  }

  policy(): Policy {
    return {
      act: (observation: unknown, options: ActOptions) => {
        const agent = this.#agent;
        if (agent === undefined) {
          throw new TwinforgeError(
            'LEARNER_FAILED',
            'dqn policy() needs train() or load() first: it has no network yet',
          );
        }
        const start = this.#spec?.actionStart ?? 0;
        const obs = this.#spec ? this.#spec.toVector(observation) : (observation as ArrayLike<number>);
        return agent.act(obs, options.explore) + start;
      },
    };
  }

  async save(dir: string): Promise<void> {
    if (this.#agent === undefined) throw new TwinforgeError('LEARNER_FAILED', 'dqn has nothing to save before train()');
    await this.#agent.save(dir);
  }

  /** Loads into the existing agent, or builds one from the checkpoint's own architecture and config. */
  async load(dir: string): Promise<void> {
    await ensureBackend(this.logger);
    if (this.#agent === undefined) this.#agent = await DqnAgent.fromCheckpoint(dir, this.rng);
    else await this.#agent.load(dir);
  }

  #ensureAgent(spec: DiscreteEnvSpec): DqnAgent {
    this.#spec = spec;
    const existing = this.#agent;
    if (existing !== undefined) {
      if (existing.obsDim !== spec.obsDim || existing.nActions !== spec.nActions) {
        throw new TwinforgeError(
          'LEARNER_FAILED',
          `dqn was built for ${existing.obsDim} observations and ${existing.nActions} actions; this environment has ${spec.obsDim} and ${spec.nActions}`,
        );
      }
      return existing;
    }
    this.#agent = new DqnAgent({ obsDim: spec.obsDim, nActions: spec.nActions, config: this.config }, this.rng);
    return this.#agent;
  }
}

async function ensureBackend(logger: Logger | undefined): Promise<void> {
  if (currentBackend() === undefined) await initTensorBackend(logger === undefined ? {} : { logger });
}
