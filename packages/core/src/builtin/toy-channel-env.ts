import { z } from 'zod';
import type { CoreEnv, ResetOptions, ResetResult, StepResult } from '../contracts/env.js';
import { TwinforgeError } from '../errors.js';
import { createRng, type Rng } from '../rng/rng.js';
import type { Scenario, ScenarioEvent, ScenarioEventKind } from '../scenario.js';
import { validateScenario } from '../scenario-validate.js';
import { ToyBox, ToyDiscrete } from './spaces.js';

export const toyChannelConfigSchema = z.strictObject({
  /** Number of radio channels to choose from. */
  channels: z.number().int().min(2).max(64).default(4),
  /** Steps per episode (each step is `dt_s` seconds). */
  horizon: z.number().int().min(1).default(50),
  dt_s: z.number().positive().default(1),
  /** Success probability of a jammed channel. */
  jammedSuccess: z.number().min(0).max(1).default(0.05),
});
export type ToyChannelConfig = z.output<typeof toyChannelConfigSchema>;

/**
 * The built-in toy: a radio picks one of K channels each step and a packet gets through with that channel's hidden
 * success probability; `jammer-on` / `jammer-off` events from the scenario jam a channel. Observation: the
 * exponentially smoothed success seen on each channel. It exists so pipelines, datasets and scenario playback can be
 * tested end to end without the physics package; the real environments are plugins.
 */
export class ToyChannelEnv implements CoreEnv<Float32Array, number> {
  readonly observationSpace: ToyBox;
  readonly actionSpace: ToyDiscrete;
  readonly supportedEvents: readonly ScenarioEventKind[] = ['jammer-on', 'jammer-off'];

  #rng: Rng;
  #quality = new Float64Array(0);
  #jammed = new Set<number>();
  #seen = new Float32Array(0);
  #events: readonly ScenarioEvent[] = [];
  #nextEvent = 0;
  #t = 0;
  #ready = false;

  constructor(
    readonly config: ToyChannelConfig,
    rng: Rng,
  ) {
    this.observationSpace = new ToyBox(config.channels, 0, 1);
    this.actionSpace = new ToyDiscrete(config.channels);
    this.#rng = rng;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const scenario = options.options?.scenario as Scenario | undefined;
    this.#events = scenario ? validateScenario(scenario, this.supportedEvents).events : [];
    this.#nextEvent = 0;
    this.#t = 0;
    this.#jammed.clear();
    const k = this.config.channels;
    this.#quality = new Float64Array(k);
    for (let i = 0; i < k; i++) this.#quality[i] = this.#rng.uniform(0.3, 0.95);
    this.#seen = new Float32Array(k).fill(0.5);
    this.#ready = true;
    this.#applyEvents();
    return { observation: this.#seen.slice(), info: { time_s: 0 } };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.#ready) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    if (!this.actionSpace.contains(action)) {
      throw new TwinforgeError(
        'ENV_INVALID_ACTION',
        `action must be an integer in [0, ${this.config.channels}), got ${String(action)}`,
      );
    }
    const p = this.#jammed.has(action) ? this.config.jammedSuccess : (this.#quality[action] as number);
    const success = this.#rng.uniform() < p;
    const seen = this.#seen;
    seen[action] = 0.8 * (seen[action] as number) + 0.2 * (success ? 1 : 0);
    this.#t += this.config.dt_s;
    this.#applyEvents();
    const steps = Math.round(this.#t / this.config.dt_s);
    const truncated = steps >= this.config.horizon;
    if (truncated) this.#ready = false;
    return {
      observation: seen.slice(),
      reward: success ? 1 : 0,
      terminated: false,
      truncated,
      info: { time_s: this.#t, success, jammed: [...this.#jammed] },
    };
  }

  #applyEvents(): void {
    while (this.#nextEvent < this.#events.length) {
      const event = this.#events[this.#nextEvent] as ScenarioEvent;
      if (event.t > this.#t) break;
      this.#nextEvent++;
      if (event.kind === 'jammer-on') this.#jammed.add(event.channel % this.config.channels);
      if (event.kind === 'jammer-off') this.#jammed.clear();
    }
  }
}
