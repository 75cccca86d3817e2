import {
  assertFinite,
  createRng,
  type Info,
  type ParallelResetResult,
  type ParallelStepResult,
  type ResetOptions,
  type Rng,
  type Scenario,
  type ScenarioEvent,
  type ScenarioEventKind,
  TwinforgeError,
  validateScenario,
} from '@twinforge/core';
import { Box, type ParallelEnv } from '@twinforge/rl';
import type { MecEnvConfig, MecEnvConfigInput } from './config.js';
import { type MecAllocation, MecCostModel } from './cost-model.js';
import { RayleighFading } from './fading.js';
import { MecSystem } from './mec-system.js';
import { equalAllocation, policyAllocation } from './policy-allocation.js';
import { maxVoteInto, repairDecision } from './vote.js';

/** What every agent's info carries after a step (the same object for all agents: the reward is global). */
export interface MecStepInfo extends Info {
  /** The slot the decision was made in (0-based). */
  slot: number;
  /** Simulated time of the next observation, s (what pipelines use as the timestamp). */
  time_s: number;
  /** Φ of the executed decision (Eq. 11). */
  phi: number;
  /** Σ_i T_i, s, and Σ_i E_i, J. */
  time: number;
  energy: number;
  offloaded: number;
  /** Devices whose voted MEC was unusable (h = 0 or down) and that were sent local. */
  repaired: number;
  /** The executed decision a_i ∈ {0..M}. */
  decision: Int32Array;
}

/**
 * The DIRS MEC system as a PettingZoo-style parallel environment (seed 004 §III-IV): one agent per MEC, named
 * `mec_<j>`, observing only its own channel gains h_j = (h_1j … h_Nj) (linear, as float32). Each agent scores every
 * device in [0, 1]; the max vote with the 0.5 rule turns the scores into the offloading decision; the per-MEC
 * allocation (Eq. 13) is then solved exactly ('optimal'), split equally, or read from the actions ('policy', repaired
 * into the constraints). All agents receive the global reward 1/Φ. Each step is one slot; the small-scale fading is
 * redrawn between slots (the layout is fixed by `layoutSeed`), so reset seeds give held-out channel draws.
 *
 * Constraint violations cannot happen: actions outside the action space are rejected (ENV_INVALID_ACTION), and any
 * action inside it is voted into a one-server-at-most decision, repaired away from unusable links, and allocated
 * within Eqs. 6 and 7 (checked again at every step). `node-fail` / `node-recover` scenario events take MEC `node`
 * (0-based) down and up.
 */
export class MecEnv implements ParallelEnv<Float32Array, Float32Array> {
  readonly system: MecSystem;
  readonly config: MecEnvConfig;
  readonly possibleAgents: readonly string[];
  readonly supportedEvents: readonly ScenarioEventKind[] = ['node-fail', 'node-recover'];
  readonly stateSpace: Box;
  readonly metadata = { name: 'mec', paper: 'seed 004 (DIRS)' } as const;
  agents: readonly string[] = [];

  readonly #observationSpace: Box;
  readonly #actionSpace: Box;
  readonly #agentIndex: Map<string, number>;
  readonly #fading: RayleighFading;
  readonly #mecUp: Uint8Array;
  readonly #decision: Int32Array;
  /** The fading stream: everything random in an episode. */
  #rng: Rng;
  #model: MecCostModel | undefined;
  #events: readonly ScenarioEvent[] = [];
  #nextEvent = 0;
  #slot = 0;

  constructor(config: MecEnvConfigInput | MecEnvConfig = {}, rng?: Rng) {
    this.system = new MecSystem(config);
    this.config = this.system.config;
    const { devices: n, mecs: m } = this.system;
    this.possibleAgents = Object.freeze(Array.from({ length: m }, (_, j) => `mec_${j}`));
    this.#agentIndex = new Map(this.possibleAgents.map((a, j) => [a, j]));
    this.#observationSpace = new Box(0, Number.POSITIVE_INFINITY, { shape: [n] });
    this.#actionSpace = new Box(0, 1, { shape: [this.config.allocation === 'policy' ? 3 * n : n] });
    this.stateSpace = new Box(0, Number.POSITIVE_INFINITY, { shape: [n * m] });
    this.#fading = new RayleighFading(n * m, this.config.fadingCorrelation);
    this.#mecUp = new Uint8Array(m).fill(1);
    this.#decision = new Int32Array(n);
    this.#rng = (rng ?? createRng(0)).split('fading');
  }

  observationSpace(agent: string): Box {
    this.#index(agent);
    return this.#observationSpace;
  }

  actionSpace(agent: string): Box {
    this.#index(agent);
    return this.#actionSpace;
  }

  /** The current slot's cost model (gains, optimal link powers, costs): what centralised policies plan on. */
  get model(): MecCostModel {
    if (!this.#model) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before reading the model');
    return this.#model;
  }

  get slot(): number {
    return this.#slot;
  }

  reset(options: ResetOptions = {}): ParallelResetResult<Float32Array> {
    // Without a seed the fading stream continues, so successive episodes see new channels.
    if (options.seed !== undefined) this.#rng = createRng(options.seed).split('fading');
    const scenario = options.options?.scenario as Scenario | undefined;
    this.#events = scenario ? validateScenario(scenario, this.supportedEvents).events : [];
    this.#nextEvent = 0;
    this.#slot = 0;
    this.#mecUp.fill(1);
    this.#applyEvents();
    this.#model = this.#buildModel(this.#fading.reset(this.#rng));
    this.agents = this.possibleAgents;
    const observations: Record<string, Float32Array> = {};
    const infos: Record<string, Info> = {};
    for (const agent of this.agents) {
      observations[agent] = this.#observe(agent);
      infos[agent] = { slot: 0, time_s: 0 };
    }
    return { observations, infos };
  }

  step(actions: Record<string, Float32Array>): ParallelStepResult<Float32Array> {
    const model = this.#model;
    if (!model || this.agents.length === 0) {
      throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step() (the episode is over or never started)');
    }
    const list = this.#checkActions(actions);
    const decision = maxVoteInto(this.#decision, list, this.config.voteThreshold);
    const repaired = repairDecision(decision, model);
    const n = this.system.devices;
    const time = new Float64Array(n);
    const energy = new Float64Array(n);
    let alloc: MecAllocation;
    let phi: number;
    if (this.config.allocation === 'optimal') {
      alloc = model.allocate(decision);
      phi = model.evaluate(decision, time, energy);
    } else {
      alloc =
        this.config.allocation === 'equal'
          ? equalAllocation(model, decision)
          : policyAllocation(model, decision, list, this.config.minTxPowerW);
      phi = model.evaluateAllocation(decision, alloc, time, energy);
    }
    const violations = model.allocationViolations(decision, alloc);
    if (violations.length > 0) {
      throw new TwinforgeError('ENV_CHECK_FAILED', `mec: executed allocation violates ${violations.join('; ')}`);
    }
    assertFinite(phi, 'objective Φ');
    const reward = this.config.reward === 'reciprocal' ? 1 / phi : -phi;
    let offloaded = 0;
    let sumT = 0;
    let sumE = 0;
    for (let i = 0; i < n; i++) {
      if ((decision[i] as number) > 0) offloaded++;
      sumT += time[i] as number;
      sumE += energy[i] as number;
    }
    const info: MecStepInfo = {
      slot: this.#slot,
      time_s: (this.#slot + 1) * this.config.slotSeconds,
      phi,
      time: sumT,
      energy: sumE,
      offloaded,
      repaired,
      decision: decision.slice(),
    };
    // next slot
    this.#slot++;
    this.#applyEvents();
    this.#model = this.#buildModel(this.#fading.advance(this.#rng));
    const truncated = this.#slot >= this.config.horizon;
    const live = this.agents;
    const out: ParallelStepResult<Float32Array> = {
      observations: {},
      rewards: {},
      terminations: {},
      truncations: {},
      infos: {},
    };
    for (const agent of live) {
      out.observations[agent] = this.#observe(agent);
      out.rewards[agent] = reward;
      out.terminations[agent] = false;
      out.truncations[agent] = truncated;
      out.infos[agent] = info;
    }
    if (truncated) this.agents = [];
    return out;
  }

  /** The global state: every gain h_ij (N×M row-major, float32), for centralised training. */
  state(): Float32Array {
    return Float32Array.from(this.model.instance.gain);
  }

  close(): void {
    this.agents = [];
  }

  #index(agent: string): number {
    const j = this.#agentIndex.get(agent);
    if (j === undefined) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `unknown agent '${agent}'; agents are mec_0 … mec_${this.system.mecs - 1}`,
      );
    }
    return j;
  }

  #observe(agent: string): Float32Array {
    const j = this.#index(agent);
    const { devices: n, mecs: m } = this.system;
    const gain = this.model.instance.gain;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = gain[i * m + j] as number;
    return out;
  }

  /** Rejects anything outside the action space; returns the actions in agent order. */
  #checkActions(actions: Record<string, Float32Array>): Float32Array[] {
    if (typeof actions !== 'object' || actions === null) {
      throw new TwinforgeError('ENV_INVALID_ACTION', 'step() needs an object of actions keyed by agent');
    }
    for (const key of Object.keys(actions)) {
      if (!this.#agentIndex.has(key))
        throw new TwinforgeError('ENV_INVALID_ACTION', `action for unknown agent '${key}'`);
    }
    return this.agents.map((agent) => {
      const a = actions[agent];
      if (a === undefined) throw new TwinforgeError('ENV_INVALID_ACTION', `missing action for agent '${agent}'`);
      if (!this.#actionSpace.contains(a)) {
        throw new TwinforgeError(
          'ENV_INVALID_ACTION',
          `action of agent '${agent}' must be a Float32Array of ${this.#actionSpace.flatdim} values in [0, 1]` +
            ` (${this.config.allocation === 'policy' ? 'scores, CPU weights, power fractions' : 'offloading scores'})`,
          { details: { agent } },
        );
      }
      return a;
    });
  }

  #applyEvents(): void {
    const now = this.#slot * this.config.slotSeconds;
    while (this.#nextEvent < this.#events.length) {
      const e = this.#events[this.#nextEvent] as ScenarioEvent;
      if (e.t > now) break;
      this.#nextEvent++;
      if (e.kind !== 'node-fail' && e.kind !== 'node-recover') continue;
      if (!(Number.isInteger(e.node) && e.node >= 0 && e.node < this.system.mecs)) {
        throw new TwinforgeError(
          'SCENARIO_INVALID',
          `${e.kind} names MEC ${e.node}; MECs are 0..${this.system.mecs - 1}`,
        );
      }
      this.#mecUp[e.node] = e.kind === 'node-fail' ? 0 : 1;
    }
  }

  #buildModel(fading: Float64Array): MecCostModel {
    return new MecCostModel(this.system.instance(fading, this.#mecUp.slice()));
  }
}
