import {
  type CoreEnv,
  createRng,
  type ResetOptions,
  type Rng,
  type Scenario,
  type StepResult,
  TwinforgeError,
  validateScenario,
} from '@twinforge/core';
import { z } from 'zod';
import { DiscreteSpace, QueueObservationSpace } from './spaces.js';

export const queueConfigSchema = z.strictObject({
  /** Mean arrivals per second (Poisson). */
  arrivalRate: z.number().positive().default(0.8),
  /** Mean services per second (exponential). */
  serviceRate: z.number().positive().default(1),
  capacity: z.number().int().min(1).default(20),
  horizon: z.number().int().min(1).default(100),
  /** Cost per queued job per step, against a reward of 1 per admitted job. */
  holdingCost: z.number().min(0).default(0.1),
});
export type QueueConfig = z.output<typeof queueConfigSchema>;

/**
 * Admission control at an edge server: each second the agent admits (1) or rejects (0) the arrivals; admitted jobs
 * earn 1 and cost `holdingCost` per second in the queue. `traffic-surge` events multiply the arrival rate.
 */
export class QueueEnv implements CoreEnv<Float32Array, number> {
  readonly observationSpace = new QueueObservationSpace();
  readonly actionSpace = new DiscreteSpace(2);
  readonly supportedEvents = ['traffic-surge'] as const;
  #rng: Rng;
  #queue = 0;
  #t = 0;
  #surges: { from: number; to: number; factor: number }[] = [];

  constructor(
    readonly config: QueueConfig,
    rng: Rng,
  ) {
    this.#rng = rng;
  }

  reset(options: ResetOptions = {}) {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const scenario = options.options?.scenario as Scenario | undefined;
    const events = scenario ? validateScenario(scenario, this.supportedEvents).events : [];
    this.#surges = events.flatMap((e) =>
      e.kind === 'traffic-surge' ? [{ from: e.t, to: e.t + e.duration_s, factor: e.factor }] : [],
    );
    this.#queue = 0;
    this.#t = 0;
    return { observation: this.#observe(), info: { time_s: 0 } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) {
      throw new TwinforgeError('ENV_INVALID_ACTION', `action must be 0 (reject) or 1 (admit), got ${String(action)}`);
    }
    const arrivals = this.#poisson(this.#rate());
    const admitted = action === 1 ? Math.min(arrivals, this.config.capacity - this.#queue) : 0;
    this.#queue += admitted;
    const served = Math.min(this.#queue, this.#poisson(this.config.serviceRate));
    this.#queue -= served;
    this.#t += 1;
    const reward = admitted - this.config.holdingCost * this.#queue;
    return {
      observation: this.#observe(),
      reward,
      terminated: false,
      truncated: this.#t >= this.config.horizon,
      info: { time_s: this.#t, arrivals, admitted, served },
    };
  }

  #rate(): number {
    let rate = this.config.arrivalRate;
    for (const s of this.#surges) if (this.#t >= s.from && this.#t < s.to) rate *= s.factor;
    return rate;
  }

  #observe(): Float32Array {
    return Float32Array.of(
      this.#queue / this.config.capacity,
      Math.min(1, this.#rate() / (2 * this.config.serviceRate)),
    );
  }

  /** Knuth's method: fine for the small rates of this toy. */
  #poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.#rng.uniform();
    while (p > limit) {
      k++;
      p *= this.#rng.uniform();
    }
    return k;
  }
}
