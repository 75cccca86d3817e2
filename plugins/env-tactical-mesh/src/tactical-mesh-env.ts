import {
  createRng,
  type Grid,
  type Info,
  type ParallelResetResult,
  type ParallelStepResult,
  type ResetOptions,
  type Rng,
  type Scenario,
  type ScenarioEventKind,
  TwinforgeError,
} from '@twinforge/core';
import { type Jammer, RandomWaypoint } from '@twinforge/physics';
import { Box, MultiDiscrete, type ParallelEnv } from '@twinforge/rl';
import {
  gatewayPosition,
  type TacticalMeshConfig,
  type TacticalMeshConfigInput,
  tacticalMeshConfig,
} from './config.js';
import { Forwarder } from './forwarding.js';
import { STATE_JAMMER_SLOTS, stateSize, writeState } from './global-state.js';
import { updateInterference, updateJamming, updateShares } from './interference.js';
import { MeshState } from './mesh-state.js';
import { EpisodeTotals, type MeshMetrics, stepMetrics } from './metrics.js';
import { observationSize, writeObservation } from './observation.js';
import { PacketPool } from './packet-pool.js';
import { MESH_EVENT_KINDS, ScenarioPlayback } from './playback.js';
import { type RadioModel, radioModel } from './radio.js';
import { readPositions } from './reset-positions.js';
import { computeRewards } from './reward.js';
import { jammingMap, sampleBackground } from './scenario-maps.js';
import { type PacketObserver, StepCounters } from './step-counters.js';
import { updateGains, updateHopCounts, updateNeighborTable } from './topology.js';

/** Scenario params the mesh reads: the layout seed, the offered load and the gateway position. */
export const SCENARIO_PARAMS = {
  layoutSeed: 'layoutSeed',
  offeredLoad: 'offeredLoad_Mbps',
} as const;

/**
 * The tactical edge mesh of EdgeAgentX-DT (seed 003) as a PettingZoo-style ParallelEnv: N mobile radios (agents
 * `node_0` … `node_{N-1}`) relay packets over a multi-hop mesh to one fixed gateway while jammers, failures, surges
 * and link degradations arrive from a scenario.
 *
 * Each step (dt seconds) every agent picks a MultiDiscrete action [next-hop slot (slots = hold), power level,
 * channel]; packets move through FIFO queues in continuous time over links whose success probability comes from
 * log-distance path loss, shadowing, Rayleigh fading and SINR with hidden-terminal interference and jamming. Nodes
 * then move (random waypoint) and scheduled events fire. Observations are local (see observation.ts); `state()` is
 * the global state for centralised critics; `metrics` holds the step's latency, throughput, PDR, drops and fairness.
 *
 * Reset options: `{ seed, options: { scenario, positions } }`. A scenario's `params.layoutSeed` fixes positions,
 * shadowing and mobility independently of the reset seed (so a scenario can name "the key relay");
 * `params.offeredLoad_Mbps` overrides the load; `maps.jamming_dBm` adds an external interference field on every
 * channel. `positions` (x0, y0, x1, y1, … for the N nodes, metres) overrides the initial layout, e.g. from telemetry.
 */
export class TacticalMeshEnv implements ParallelEnv<Float32Array, Int32Array> {
  readonly config: TacticalMeshConfig;
  readonly radio: RadioModel;
  readonly possibleAgents: readonly string[];
  readonly supportedEvents: readonly ScenarioEventKind[] = MESH_EVENT_KINDS;
  readonly stateSpace: Box;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly #obsSpace: Box;
  readonly #actSpace: MultiDiscrete;
  readonly #s: MeshState;
  readonly #pool = new PacketPool();
  readonly #fwd: Forwarder;
  readonly #counters: StepCounters;
  readonly #totals = new EpisodeTotals();
  readonly #playback: ScenarioPlayback;
  readonly #rewards: Float64Array;
  readonly #frontier: Int32Array;
  readonly #agentIndex: Map<string, number>;
  #agents: string[] = [];
  #root: Rng;
  #packets: Rng;
  #episodes = 0;
  #mobility: RandomWaypoint[] = [];
  #step = 0;
  #time = 0;
  #baseLoad_Mbps: number;
  #scenario: Scenario | undefined;
  #background: Grid | undefined;
  #metrics: MeshMetrics | undefined;

  constructor(config: TacticalMeshConfigInput | TacticalMeshConfig = {}, rng?: Rng) {
    this.config = tacticalMeshConfig(config as TacticalMeshConfigInput);
    const c = this.config;
    this.radio = radioModel(c);
    this.possibleAgents = Object.freeze(Array.from({ length: c.nodes }, (_, i) => `node_${i}`));
    this.#agentIndex = new Map(this.possibleAgents.map((a, i) => [a, i]));
    this.#obsSpace = new Box(-1, 1, { shape: [observationSize(c.channels, c.maxNeighbors)] });
    this.#actSpace = new MultiDiscrete([c.maxNeighbors + 1, c.powerLevels_dBm.length, c.channels]);
    this.stateSpace = new Box(-1, 1, { shape: [stateSize(c.nodes, c.channels, STATE_JAMMER_SLOTS)] });
    this.#s = new MeshState(c.nodes, c.channels, c.maxNeighbors, c.queuePackets);
    this.#fwd = new Forwarder(this.#s, this.#pool, this.radio, {
      dt_s: c.dt_s,
      packetBits: c.packetBits,
      timeout_s: c.packetTimeout_s,
      maxHops: c.maxHops,
      retries: c.retries,
    });
    this.#counters = new StepCounters(c.nodes);
    this.#playback = new ScenarioPlayback(c.nodes, c.channels);
    this.#rewards = new Float64Array(c.nodes);
    this.#frontier = new Int32Array(c.nodes + 1);
    this.#root = rng ?? createRng(0);
    this.#packets = this.#root.split('packets');
    this.#baseLoad_Mbps = c.offeredLoad_Mbps;
    this.metadata = Object.freeze({
      name: 'tactical-mesh',
      source: 'seed 003 (EdgeAgentX-DT)',
      dt_s: c.dt_s,
      actionLayout: ['next-hop slot (last = hold)', 'power level', 'channel'],
    });
  }

  get agents(): readonly string[] {
    return this.#agents;
  }

  observationSpace(_agent: string): Box {
    return this.#obsSpace;
  }

  actionSpace(_agent: string): MultiDiscrete {
    return this.#actSpace;
  }

  /** Metrics of the last step (undefined before the first step of an episode). */
  get metrics(): MeshMetrics | undefined {
    return this.#metrics;
  }

  /** Episode totals: generated, delivered, dropped packets so far. */
  get totals(): Readonly<EpisodeTotals> {
    return this.#totals;
  }

  /** Simulated seconds since the episode start. */
  get time_s(): number {
    return this.#time;
  }

  /** Read-only view of the simulation arrays, for baselines, grids and tests (do not write). */
  get view(): MeshState {
    return this.#s;
  }

  /** Active jammers (id → physics Jammer). */
  get jammers(): ReadonlyMap<number, Jammer> {
    return this.#playback.jammers;
  }

  /** The scenario of the current episode (undefined when reset without one). */
  get scenario(): Scenario | undefined {
    return this.#scenario;
  }

  /** Offered load of the current episode before surges, Mbps. */
  get offeredLoad_Mbps(): number {
    return this.#baseLoad_Mbps;
  }

  /** Success probability of each node's chosen link in the last step. */
  get linkSuccess(): Float64Array {
    return this.#fwd.linkSuccess;
  }

  /** Installs per-packet hooks (tests, calibration); undefined removes them. */
  observe(observer: PacketObserver | undefined): void {
    this.#fwd.observer = observer;
  }

  reset(options: ResetOptions = {}): ParallelResetResult<Float32Array> {
    const c = this.config;
    const s = this.#s;
    this.#root = options.seed !== undefined ? createRng(options.seed) : this.#root.split(`episode-${this.#episodes}`);
    this.#episodes++;
    this.#packets = this.#root.split('packets');
    const scenario = options.options?.scenario as Scenario | undefined;
    this.#playback.load(scenario);
    this.#scenario = scenario;
    const params = scenario?.params ?? {};
    const layoutSeed = params[SCENARIO_PARAMS.layoutSeed];
    const layout = typeof layoutSeed === 'number' ? createRng(layoutSeed).split('layout') : this.#root.split('layout');
    const load = params[SCENARIO_PARAMS.offeredLoad];
    this.#baseLoad_Mbps = typeof load === 'number' && Number.isFinite(load) && load >= 0 ? load : c.offeredLoad_Mbps;
    this.#fwd.setPacketRate((this.#baseLoad_Mbps * 1e6) / c.packetBits / c.nodes);

    const gw = gatewayPosition(c);
    s.posX[s.gw] = gw.x;
    s.posY[s.gw] = gw.y;
    const m = c.mobility;
    const start = readPositions(options.options?.positions, c);
    this.#mobility = Array.from({ length: c.nodes }, (_, i) => {
      const at = start ? { x: start[2 * i] as number, y: start[2 * i + 1] as number } : undefined;
      const w = new RandomWaypoint(
        layout.split(`mobility/${i}`),
        c.width_m,
        c.height_m,
        m.minSpeed_mps,
        m.maxSpeed_mps,
        m.pause_s,
        at,
      );
      s.posX[i] = w.position.x;
      s.posY[i] = w.position.y;
      return w;
    });
    const shadowRng = layout.split('shadowing');
    const sigma = c.shadowingSigma_dB;
    for (let i = 0; i < s.stride; i++) {
      for (let j = i + 1; j < s.stride; j++) {
        const f = sigma > 0 ? 10 ** (shadowRng.normal(0, sigma) / 10) : 1;
        s.shadow[i * s.stride + j] = f;
        s.shadow[j * s.stride + i] = f;
      }
    }
    s.alive.fill(1);
    s.channel.fill(0);
    s.powerLevel.fill(c.powerLevels_dBm.length - 1);
    s.txPowerW.fill(this.radio.maxPowerW);
    s.nextHop.fill(-1);
    s.activity.fill(0);
    s.busyUntil.fill(0);
    s.share.fill(0);
    s.queueLen.fill(0);
    s.queueHead.fill(0);
    s.txAttempts.fill(0);
    s.txSuccess.fill(0);
    s.txPackets.fill(0);
    s.txLost.fill(0);
    // Until a node has history, it claims the air time its own offered load needs.
    const ownDemand = (this.#baseLoad_Mbps * 1e6) / c.nodes / this.radio.phyRate_bps;
    s.demand.fill(Math.min(1, ownDemand));
    this.#background = jammingMap(scenario);
    this.#pool.clear();
    this.#counters.clear();
    this.#totals.clear();
    this.#step = 0;
    this.#time = 0;
    this.#metrics = undefined;
    this.#degradeVersion = -1;
    this.#advanceEvents();
    this.#refresh();
    this.#agents = [...this.possibleAgents];
    const observations = this.#observeAll();
    const infos: Record<string, Info> = {};
    for (const a of this.#agents) infos[a] = { time_s: 0, scenario_id: scenario?.id ?? null };
    return { observations, infos };
  }

  step(actions: Record<string, Int32Array>): ParallelStepResult<Float32Array> {
    if (this.#agents.length === 0) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    const c = this.config;
    const s = this.#s;
    const hold = c.maxNeighbors;
    for (const agent of this.#agents) {
      const a = actions[agent];
      if (!this.#actSpace.contains(a)) {
        throw new TwinforgeError(
          'ENV_INVALID_ACTION',
          `${agent}: action must be an Int32Array [slot 0..${hold} (${hold} = hold), power level 0..${c.powerLevels_dBm.length - 1}, channel 0..${c.channels - 1}], got ${describe(a)}`,
        );
      }
      const i = this.#agentIndex.get(agent) as number;
      const act = a as Int32Array;
      const slot = act[0] as number;
      s.nextHop[i] = slot === hold ? -1 : (s.neighbors[i * s.slots + slot] as number);
      s.powerLevel[i] = act[1] as number;
      s.txPowerW[i] = this.radio.powerLevelsW[act[1] as number] as number;
      s.channel[i] = act[2] as number;
    }
    return this.#advance();
  }

  /**
   * Steps with next hop, power level and channel given per node in typed arrays (node order, nextHop as a node id,
   * `view.gw` for the gateway, -1 to hold): the allocation-light path for baselines and benchmarks. A next hop that
   * is not a current neighbour holds.
   */
  stepRaw(nextHop: Int32Array, powerLevel: Int32Array, channel: Int32Array): ParallelStepResult<Float32Array> {
    if (this.#agents.length === 0) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    const s = this.#s;
    const levels = this.radio.powerLevelsW.length;
    for (let i = 0; i < s.n; i++) {
      const nh = nextHop[i] as number;
      const p = powerLevel[i] as number;
      const ch = channel[i] as number;
      if (!Number.isInteger(p) || p < 0 || p >= levels || !Number.isInteger(ch) || ch < 0 || ch >= s.channels) {
        throw new TwinforgeError('ENV_INVALID_ACTION', `node ${i}: power level ${p} or channel ${ch} out of range`);
      }
      let ok = false;
      if (nh >= 0) for (let m = 0; m < s.slots; m++) if (s.neighbors[i * s.slots + m] === nh) ok = true;
      s.nextHop[i] = ok ? nh : -1;
      s.powerLevel[i] = p;
      s.txPowerW[i] = this.radio.powerLevelsW[p] as number;
      s.channel[i] = ch;
    }
    return this.#advance();
  }

  /** Global state for centralised critics (layout in global-state.ts / README). */
  state(): Float32Array {
    return writeState(
      this.#s,
      this.radio,
      this.config,
      this.#playback.jammers,
      this.#step,
      new Float32Array(this.stateSpace.flatdim),
    );
  }

  close(): void {
    this.#agents = [];
  }

  #degradeVersion = -1;

  #advance(): ParallelStepResult<Float32Array> {
    const c = this.config;
    const s = this.#s;
    const counters = this.#counters;
    counters.clear();
    updateInterference(s, this.radio);
    updateShares(s, this.radio);
    this.#fwd.step(this.#time, this.#packets, counters);
    this.#step++;
    this.#time = this.#step * c.dt_s;
    if (c.mobility.model === 'random-waypoint') {
      for (let i = 0; i < s.n; i++) {
        const p = (this.#mobility[i] as RandomWaypoint).step(c.dt_s);
        s.posX[i] = p.x;
        s.posY[i] = p.y;
      }
    }
    this.#advanceEvents();
    this.#refresh();
    this.#totals.add(counters, c.packetBits);
    let jammed = 0;
    for (let i = 0; i < s.n; i++) {
      if (s.alive[i] === 0) continue;
      for (let ch = 0; ch < s.channels; ch++) {
        if ((s.jamW[i * s.channels + ch] as number) > this.radio.noiseW) {
          jammed++;
          break;
        }
      }
    }
    const metrics = stepMetrics(counters, {
      time_s: this.#time,
      dt_s: c.dt_s,
      packetBits: c.packetBits,
      queued: s.queuedTotal(),
      alive: s.alive,
      nodes: s.n,
      jammedNodes: jammed,
      activeJammers: this.#playback.jammers.size,
      totals: this.#totals,
    });
    this.#metrics = metrics;
    computeRewards(c.reward, metrics, counters, c.packetBits / c.dt_s / 1e6, this.#rewards);
    const done = this.#step >= c.horizon;
    const live = this.#agents;
    const observations = this.#observeAll();
    const rewards: Record<string, number> = {};
    const terminations: Record<string, boolean> = {};
    const truncations: Record<string, boolean> = {};
    const infos: Record<string, Info> = {};
    for (const agent of live) {
      const i = this.#agentIndex.get(agent) as number;
      const r = this.#rewards[i] as number;
      if (!Number.isFinite(r)) throw new TwinforgeError('NUMERIC_INVALID', `${agent}: reward is ${r}`);
      rewards[agent] = r;
      terminations[agent] = false;
      truncations[agent] = done;
      infos[agent] = { time_s: this.#time, alive: s.alive[i] === 1, metrics };
    }
    if (done) this.#agents = [];
    return { observations, rewards, terminations, truncations, infos };
  }

  #advanceEvents(): void {
    const s = this.#s;
    this.#playback.advance(this.#time, {
      nodeFail: (node) => {
        if (s.alive[node] === 0) return;
        s.alive[node] = 0;
        this.#fwd.dropQueue(node, this.#counters);
        s.activity[node] = 0;
        s.busyUntil[node] = 0;
        s.nextHop[node] = -1;
      },
      nodeRecover: (node) => {
        if (s.alive[node] === 1) return;
        s.alive[node] = 1;
        s.txAttempts[node] = 0;
        s.txSuccess[node] = 0;
        s.txPackets[node] = 0;
        s.txLost[node] = 0;
      },
    });
  }

  /** Recomputes everything that follows from positions and events: gains, jamming, load, interference, topology. */
  #refresh(): void {
    const s = this.#s;
    const pb = this.#playback;
    if (pb.degradeVersion !== this.#degradeVersion) {
      this.#degradeVersion = pb.degradeVersion;
      pb.writeDegradation(s);
    }
    updateGains(s, this.radio);
    sampleBackground(this.#background, s);
    updateJamming(s, this.radio, pb.jammers.values());
    pb.writeLoadFactors(s);
    updateInterference(s, this.radio);
    updateHopCounts(s, this.radio, this.#frontier);
    updateNeighborTable(s, this.radio);
  }

  #observeAll(): Record<string, Float32Array> {
    const c = this.config;
    const s = this.#s;
    const pool = this.#pool;
    const ctx = {
      s,
      radio: this.radio,
      width: c.width_m,
      height: c.height_m,
      timeout_s: c.packetTimeout_s,
      maxHops: c.maxHops,
      time_s: this.#time,
      powerLevels: c.powerLevels_dBm.length,
      neighborRange_m: this.radio.neighborRange_m,
      headCreated: (i: number) => {
        const id = s.headPacket(i);
        return id < 0 ? Number.NaN : (pool.created[id] as number);
      },
    };
    // One zeroed buffer per step, a view per agent: one allocation instead of N.
    const dim = this.#obsSpace.flatdim;
    const buffer = new Float32Array(dim * this.#agents.length);
    const out: Record<string, Float32Array> = {};
    this.#agents.forEach((agent, k) => {
      const i = this.#agentIndex.get(agent) as number;
      out[agent] = writeObservation(ctx, i, buffer.subarray(k * dim, (k + 1) * dim));
    });
    return out;
  }
}

function describe(a: unknown): string {
  if (ArrayBuffer.isView(a))
    return `${a.constructor.name}[${Array.from(a as unknown as ArrayLike<number>).join(', ')}]`;
  return String(a);
}
