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
import type { Td3Config } from './config.js';
import { type BoxEnvSpec, boxEnvSpec } from './env-spec.js';
import { Td3Agent } from './td3-agent.js';

/**
 * TD3 behind core's Learner contract, for pipelines: `train(ctx)` runs core's episode loop (so every step reaches
 * the dataset sink and the curriculum) and feeds each transition to a `Td3Agent` built for the environment's
 * spaces on first use. Metrics (mean critic and actor losses, steps, critic updates) follow each episode.
 */
export class Td3Learner implements Learner {
  #agent: Td3Agent | undefined;
  #spec: BoxEnvSpec | undefined;

  constructor(
    readonly config: Td3Config,
    private readonly rng: Rng,
    private readonly logger?: Logger,
  ) {}

  /** The agent, once `train` or `load` has built it. */
  get agent(): Td3Agent | undefined {
    return this.#agent;
  }

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => ensureBackend(ctx.logger)).pipe(
      concatMap(() => {
        const spec = boxEnvSpec(ctx.env);
        const agent = this.#ensureAgent(spec);
        return runEpisodes(ctx, this.policy(), {
          onTransition: (t) =>
            agent.observe({
              observation: spec.toVector(t.observation),
              action: t.action as ArrayLike<number>,
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
            'td3 policy() needs train() or load() first: it has no network yet',
          );
        }
        const obs = this.#spec ? this.#spec.toVector(observation) : (observation as ArrayLike<number>);
        return agent.act(obs, options.explore);
      },
    };
  }

  async save(dir: string): Promise<void> {
    if (this.#agent === undefined) throw new TwinforgeError('LEARNER_FAILED', 'td3 has nothing to save before train()');
    await this.#agent.save(dir);
  }

  /** Loads into the existing agent, or builds one from the checkpoint's own architecture and config. */
  async load(dir: string): Promise<void> {
    await ensureBackend(this.logger);
    if (this.#agent === undefined) this.#agent = await Td3Agent.fromCheckpoint(dir, this.rng);
    else await this.#agent.load(dir);
  }

  #ensureAgent(spec: BoxEnvSpec): Td3Agent {
    this.#spec = spec;
    const existing = this.#agent;
    if (existing !== undefined) {
      const sameBounds =
        existing.low.every((v, i) => v === spec.low[i]) && existing.high.every((v, i) => v === spec.high[i]);
      if (existing.obsDim !== spec.obsDim || existing.actionDim !== spec.actionDim || !sameBounds) {
        throw new TwinforgeError(
          'LEARNER_FAILED',
          `td3 was built for ${existing.obsDim} observations and actions in [${Array.from(existing.low)}, ${Array.from(existing.high)}]; this environment has ${spec.obsDim} observations and actions in [${Array.from(spec.low)}, ${Array.from(spec.high)}]`,
        );
      }
      return existing;
    }
    this.#agent = new Td3Agent({ obsDim: spec.obsDim, low: spec.low, high: spec.high, config: this.config }, this.rng);
    return this.#agent;
  }
}

async function ensureBackend(logger: Logger | undefined): Promise<void> {
  if (currentBackend() === undefined) await initTensorBackend(logger === undefined ? {} : { logger });
}
