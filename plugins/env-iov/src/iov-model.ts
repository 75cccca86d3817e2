import { type Rng, type ScenarioEvent, type ScenarioEventKind, TwinforgeError } from '@twinforge/core';
import {
  createSnapshot,
  type DomainModel,
  type EntityTable,
  type ModelOutcome,
  SnapshotDraft,
  type TwinSnapshot,
} from '@twinforge/twin';
import type { IovConfig } from './config.js';
import { CoverageProfile } from './coverage-profile.js';
import { type TransmissionOutcome, transmit } from './transmission.js';

/** Row of the vehicle in `devices` and of the current task in `tasks`. */
const VEHICLE = 0;
const TASK = 0;

/** Observation layout: [x / L, task size in [0, 1], then one up/down flag per AP]. */
export const OBS_POSITION = 0;
export const OBS_TASK_SIZE = 1;
export const OBS_FIRST_AP = 2;

/**
 * The access-point selection model of seed 001 §IV-A, written against twin snapshots so the physical environment and
 * every digital domain step the very same equations:
 * - entities: `devices` (the vehicle: x, y, speed), `nodes` (the APs: x, y, coverage radius, bandwidth, tx power,
 *   cost, up), `tasks` (the pending task: bits, deadline, index);
 * - params: road length, task count, task size range and the propagation parameters (path-loss exponent and
 *   reference loss, which a twin's calibration may adjust);
 * - step(action = AP index): the task is transmitted through that AP (transmission.ts), the reward is computed, and
 *   the next task is generated at a uniform time within the next road segment, with a uniform size.
 * The next state does not depend on the action (the vehicle keeps its speed and tasks arrive on their own clock);
 * the action decides the reward. Randomness (next task time and size) comes from the domain's rng only.
 */
export class IovModel implements DomainModel<number, Float32Array> {
  readonly supportedEvents: readonly ScenarioEventKind[] = ['node-fail', 'node-recover'];
  readonly config: IovConfig;
  readonly actions: number;
  // Profiles depend only on the APs' radio columns and the propagation params; both are shared structurally between
  // snapshots and forks, so caching by object identity hits almost always, and a string key catches the rest.
  readonly #byTable = new WeakMap<EntityTable, WeakMap<object, CoverageProfile[]>>();
  readonly #byKey = new Map<string, CoverageProfile>();
  #last: { nodes: EntityTable; params: object; profiles: CoverageProfile[] } | undefined;
  #template: TwinSnapshot | undefined;

  constructor(config: IovConfig) {
    this.config = config;
    this.actions = config.accessPoints.length;
  }

  /** The state at the start of an episode: vehicle on the road, first task drawn from `rng`. */
  initialSnapshot(rng: Rng): TwinSnapshot {
    // The layout part is the same every episode: build and validate it once, then draw the first task onto it.
    this.#template ??= this.#layout();
    const draft = new SnapshotDraft(this.#template);
    this.#generateTask(draft, 0, rng);
    return { ...draft.commit(), version: 0 };
  }

  #layout(): TwinSnapshot {
    const c = this.config;
    const aps = c.accessPoints;
    return createSnapshot({
      params: {
        roadLength_m: c.roadLength_m,
        tasksPerEpisode: c.tasksPerEpisode,
        minTaskBits: c.minTaskBits,
        maxTaskBits: c.maxTaskBits,
        pathLossExponent: c.pathLossExponent,
        pathLossRef_dB: c.pathLossRef_dB,
        refDistance_m: c.refDistance_m,
        noiseFigure_dB: c.noiseFigure_dB,
      },
      entities: {
        devices: { columns: { x: [0], y: [0], speed: [c.speed_mps] } },
        nodes: {
          columns: {
            x: aps.map((a) => a.x_m),
            y: aps.map((a) => a.y_m),
            coverageRadius: aps.map((a) => a.coverageRadius_m),
            bandwidth: aps.map((a) => a.bandwidth_Hz),
            txPower_dBm: aps.map((a) => a.txPower_dBm),
            cost: aps.map((a) => a.cost),
            up: aps.map(() => 1),
          },
        },
        tasks: { columns: { bits: [c.minTaskBits], deadline: [c.deadline_s], index: [0] } },
      },
    });
  }

  isValidAction(action: unknown): boolean {
    return Number.isInteger(action) && (action as number) >= 0 && (action as number) < this.actions;
  }

  step(draft: SnapshotDraft, action: number, rng: Rng): ModelOutcome {
    const index = draft.get('tasks', TASK, 'index');
    const total = draft.param('tasksPerEpisode') ?? this.config.tasksPerEpisode;
    if (index >= total) {
      throw new TwinforgeError('ENV_NOT_RESET', 'all tasks of the episode were sent; reset the environment');
    }
    const outcome = this.evaluate(draft, action);
    const reward = this.reward(outcome, draft.get('nodes', action, 'cost'), draft.get('tasks', TASK, 'deadline'));
    const next = index + 1;
    const terminated = next >= total;
    this.#generateTask(draft, next, rng);
    return {
      reward,
      terminated,
      info: {
        time_s: draft.time,
        ap: action,
        delivered: outcome.delivered,
        result: outcome.result,
        latency_s: outcome.latency_s,
      },
    };
  }

  /** What sending the current task through AP `action` would do, without changing the state. */
  evaluate(state: SnapshotDraft | TwinSnapshot, action: number): TransmissionOutcome {
    const read = reader(state);
    const profile = this.profiles(state)[action];
    if (!profile)
      throw new TwinforgeError('ENV_INVALID_ACTION', `no access point ${action} (there are ${this.actions})`);
    return transmit(
      profile,
      read('nodes', action, 'up') === 1,
      read('devices', VEHICLE, 'x'),
      read('tasks', TASK, 'bits'),
      read('devices', VEHICLE, 'speed'),
      read('tasks', TASK, 'deadline'),
    );
  }

  /** Reward: success − w_L·latency/deadline − w_C·cost, or −penalty − w_C·cost (cost only if transmission started). */
  reward(outcome: TransmissionOutcome, cost: number, deadline: number): number {
    const w = this.config.reward;
    const paid = outcome.started ? w.costWeight * cost : 0;
    if (outcome.delivered) return w.success - w.latencyWeight * (outcome.latency_s / deadline) - paid;
    return -w.failurePenalty - paid;
  }

  observe(snapshot: TwinSnapshot): Float32Array {
    const read = reader(snapshot);
    const c = this.config;
    const obs = new Float32Array(OBS_FIRST_AP + this.actions);
    obs[OBS_POSITION] = clamp01(read('devices', VEHICLE, 'x') / (snapshot.params.roadLength_m ?? c.roadLength_m));
    const span = c.maxTaskBits - c.minTaskBits;
    obs[OBS_TASK_SIZE] = span > 0 ? clamp01((read('tasks', TASK, 'bits') - c.minTaskBits) / span) : 0;
    for (let a = 0; a < this.actions; a++) obs[OBS_FIRST_AP + a] = read('nodes', a, 'up') === 1 ? 1 : 0;
    return obs;
  }

  applyEvent(draft: SnapshotDraft, event: ScenarioEvent): void {
    if (event.kind === 'node-fail' || event.kind === 'node-recover') {
      if (!Number.isInteger(event.node) || event.node < 0 || event.node >= this.actions) {
        throw new TwinforgeError(
          'SCENARIO_INVALID',
          `${event.kind} names node ${event.node}; APs are 0..${this.actions - 1}`,
        );
      }
      draft.set('nodes', event.node, 'up', event.kind === 'node-fail' ? 0 : 1);
    }
  }

  /**
   * Coverage profiles of every AP for a state. They depend only on the APs' radio columns and the propagation params,
   * both shared structurally between snapshots and forks, so a cache keyed by object identity almost always hits; a
   * string key of the numbers catches equal values in different objects (e.g. after a mirror from JSON). A draft is
   * read through its base params: models never change params inside a step (calibration commits them separately).
   */
  profiles(state: SnapshotDraft | TwinSnapshot): CoverageProfile[] {
    const nodes = state instanceof SnapshotDraft ? state.table('nodes') : (state.entities.nodes as EntityTable);
    const params = state instanceof SnapshotDraft ? state.base.params : state.params;
    const last = this.#last;
    if (last && last.nodes === nodes && last.params === params) return last.profiles;
    let byParams = this.#byTable.get(nodes);
    const hit = byParams?.get(params);
    if (hit) {
      this.#last = { nodes, params, profiles: hit };
      return hit;
    }
    const c = this.config;
    const out: CoverageProfile[] = [];
    for (let a = 0; a < nodes.ids.length; a++) {
      const radio = {
        x_m: nodes.columns.x?.[a] as number,
        y_m: nodes.columns.y?.[a] as number,
        coverageRadius_m: nodes.columns.coverageRadius?.[a] as number,
        bandwidth_Hz: nodes.columns.bandwidth?.[a] as number,
        txPower_dBm: nodes.columns.txPower_dBm?.[a] as number,
        pathLossExponent: params.pathLossExponent ?? c.pathLossExponent,
        pathLossRef_dB: params.pathLossRef_dB ?? c.pathLossRef_dB,
        refDistance_m: params.refDistance_m ?? c.refDistance_m,
        noiseFigure_dB: params.noiseFigure_dB ?? c.noiseFigure_dB,
      };
      const key = Object.values(radio).join('|');
      let profile = this.#byKey.get(key);
      if (!profile) {
        profile = new CoverageProfile(radio, c.gridStep_m);
        this.#byKey.set(key, profile);
      }
      out.push(profile);
    }
    if (!byParams) {
      byParams = new WeakMap();
      this.#byTable.set(nodes, byParams);
    }
    byParams.set(params, out);
    this.#last = { nodes, params, profiles: out };
    return out;
  }

  /** Task `index` appears at a uniform time in the index-th road segment of length L / tasks, with a uniform size. */
  #generateTask(draft: SnapshotDraft, index: number, rng: Rng): void {
    const c = this.config;
    const total = c.tasksPerEpisode;
    const segment_s = c.roadLength_m / c.speed_mps / total;
    const u = rng.uniform();
    const bits = rng.uniform(c.minTaskBits, c.maxTaskBits);
    const t = index < total ? (index + u) * segment_s : total * segment_s;
    draft.time = t;
    draft.set('devices', VEHICLE, 'x', Math.min(c.roadLength_m, draft.get('devices', VEHICLE, 'speed') * t));
    draft.set('tasks', TASK, 'bits', bits);
    draft.set('tasks', TASK, 'index', index);
  }
}

function reader(state: SnapshotDraft | TwinSnapshot): (kind: string, row: number, column: string) => number {
  if (state instanceof SnapshotDraft) return (kind, row, column) => state.get(kind, row, column);
  return (kind, row, column) => state.entities[kind]?.columns[column]?.[row] as number;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
