import { z } from 'zod';
import type { CoreParallelEnv, Info, ParallelResetResult, ParallelStepResult, ResetOptions } from '../contracts/env.js';
import { TwinforgeError } from '../errors.js';
import { createRng, type Rng } from '../rng/rng.js';
import type { Scenario, ScenarioEvent, ScenarioEventKind } from '../scenario.js';
import { validateScenario } from '../scenario-validate.js';
import { ToyBox, ToyDiscrete } from './spaces.js';

export const toyChannelAccessConfigSchema = z.strictObject({
  /** Radios contending for the channels: one agent each. */
  agents: z.number().int().min(2).max(32).default(3),
  channels: z.number().int().min(2).max(64).default(4),
  horizon: z.number().int().min(1).default(50),
  jammedSuccess: z.number().min(0).max(1).default(0.05),
});
export type ToyChannelAccessConfig = z.output<typeof toyChannelAccessConfigSchema>;

/**
 * The multi-agent built-in: N radios each pick one of K channels per step. Two radios on the same channel collide
 * and both fail; a lone radio gets through with the channel's hidden quality, or `jammedSuccess` while a scenario's
 * jammer holds that channel. Observation per agent: its smoothed success per channel plus the share of radios that
 * used each channel last step. Like the single-agent toy, it exists so multi-agent pipelines and datasets can be
 * exercised without the physics plugins.
 */
export class ToyChannelAccessEnv implements CoreParallelEnv<Float32Array, number> {
  readonly possibleAgents: readonly string[];
  readonly supportedEvents: readonly ScenarioEventKind[] = ['jammer-on', 'jammer-off'];
  #agents: string[] = [];
  readonly #obsSpace: ToyBox;
  readonly #actSpace: ToyDiscrete;
  #rng: Rng;
  #quality = new Float64Array(0);
  #seen: Float32Array[] = [];
  #load = new Float32Array(0);
  #jammed = new Set<number>();
  #events: readonly ScenarioEvent[] = [];
  #next = 0;
  #t = 0;

  constructor(
    readonly config: ToyChannelAccessConfig,
    rng: Rng,
  ) {
    this.possibleAgents = Array.from({ length: config.agents }, (_, i) => `radio_${i}`);
    this.#obsSpace = new ToyBox(2 * config.channels, 0, 1);
    this.#actSpace = new ToyDiscrete(config.channels);
    this.#rng = rng;
  }

  get agents(): readonly string[] {
    return this.#agents;
  }

  observationSpace(_agent: string): ToyBox {
    return this.#obsSpace;
  }

  actionSpace(_agent: string): ToyDiscrete {
    return this.#actSpace;
  }

  reset(options: ResetOptions = {}): ParallelResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const scenario = options.options?.scenario as Scenario | undefined;
    this.#events = scenario ? validateScenario(scenario, this.supportedEvents).events : [];
    this.#next = 0;
    this.#t = 0;
    this.#jammed.clear();
    const k = this.config.channels;
    this.#quality = new Float64Array(k);
    for (let c = 0; c < k; c++) this.#quality[c] = this.#rng.uniform(0.4, 0.95);
    this.#seen = this.possibleAgents.map(() => new Float32Array(k).fill(0.5));
    this.#load = new Float32Array(k);
    this.#agents = [...this.possibleAgents];
    this.#applyEvents();
    return { observations: this.#observe(), infos: this.#infos({}) };
  }

  step(actions: Record<string, number>): ParallelStepResult<Float32Array> {
    if (this.#agents.length === 0) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    const k = this.config.channels;
    const count = new Int32Array(k);
    for (const agent of this.#agents) {
      const a = actions[agent];
      if (!this.#actSpace.contains(a)) {
        throw new TwinforgeError(
          'ENV_INVALID_ACTION',
          `${agent}: action must be an integer in [0, ${k}), got ${String(a)}`,
        );
      }
      count[a as number] = (count[a as number] as number) + 1;
    }
    const rewards: Record<string, number> = {};
    const success: Record<string, boolean> = {};
    this.#agents.forEach((agent, i) => {
      const c = actions[agent] as number;
      const p = this.#jammed.has(c) ? this.config.jammedSuccess : (this.#quality[c] as number);
      // Draw for every agent, collided or not, so one agent's choice never shifts another's random stream.
      const u = this.#rng.uniform();
      const ok = count[c] === 1 && u < p;
      const seen = this.#seen[i] as Float32Array;
      seen[c] = 0.8 * (seen[c] as number) + 0.2 * (ok ? 1 : 0);
      rewards[agent] = ok ? 1 : 0;
      success[agent] = ok;
    });
    for (let c = 0; c < k; c++) this.#load[c] = (count[c] as number) / this.#agents.length;
    this.#t += 1;
    this.#applyEvents();
    const done = this.#t >= this.config.horizon;
    const observations = this.#observe();
    const infos = this.#infos(success);
    const flags = Object.fromEntries(this.#agents.map((a) => [a, done]));
    const terminations = Object.fromEntries(this.#agents.map((a) => [a, false]));
    if (done) this.#agents = [];
    return { observations, rewards, terminations, truncations: flags, infos };
  }

  /** Global state for centralised critics: channel qualities, jam flags and last-step load. */
  state(): Float32Array {
    const k = this.config.channels;
    const s = new Float32Array(3 * k);
    for (let c = 0; c < k; c++) {
      s[c] = this.#quality[c] as number;
      s[k + c] = this.#jammed.has(c) ? 1 : 0;
      s[2 * k + c] = this.#load[c] as number;
    }
    return s;
  }

  #observe(): Record<string, Float32Array> {
    const k = this.config.channels;
    const out: Record<string, Float32Array> = {};
    this.possibleAgents.forEach((agent, i) => {
      if (!this.#agents.includes(agent)) return;
      const obs = new Float32Array(2 * k);
      obs.set(this.#seen[i] as Float32Array, 0);
      obs.set(this.#load, k);
      out[agent] = obs;
    });
    return out;
  }

  #infos(success: Record<string, boolean>): Record<string, Info> {
    return Object.fromEntries(this.#agents.map((a) => [a, { time_s: this.#t, success: success[a] ?? false }]));
  }

  #applyEvents(): void {
    while (this.#next < this.#events.length) {
      const event = this.#events[this.#next] as ScenarioEvent;
      if (event.t > this.#t) break;
      this.#next++;
      if (event.kind === 'jammer-on') this.#jammed.add(event.channel % this.config.channels);
      if (event.kind === 'jammer-off') this.#jammed.clear();
    }
  }
}
