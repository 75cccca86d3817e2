import { type Scenario, type ScenarioEvent, type ScenarioEventKind, TwinforgeError } from '@twinforge/core';
import type { Jammer } from '@twinforge/physics';
import { ScenarioTimeline } from '@twinforge/twin';
import type { MeshState } from './mesh-state.js';

/** Every event kind of DESIGN.md; the mesh replays all of them. */
export const MESH_EVENT_KINDS: readonly ScenarioEventKind[] = [
  'node-fail',
  'node-recover',
  'jammer-on',
  'jammer-off',
  'traffic-surge',
  'link-degrade',
];

export interface ActiveSurge {
  readonly center?: { readonly x: number; readonly y: number };
  readonly radius_m?: number;
  readonly factor: number;
  readonly until_s: number;
}

export interface ActiveDegrade {
  readonly from: number;
  readonly to: number;
  readonly loss_dB: number;
  readonly until_s: number;
}

/** What the environment must do when events fire. */
export interface PlaybackHandlers {
  nodeFail(node: number): void;
  nodeRecover(node: number): void;
}

/**
 * Scenario playback inside the environment: the twin's `ScenarioTimeline` (validated, time-sorted, with a cursor)
 * plus the effects that last (active jammers, surges, link degradations). Events fire at the first step boundary at
 * or after their time. Validation happens up front: an unsupported kind is SCENARIO_UNSUPPORTED_EVENT, an event that
 * names a node, channel or value this mesh does not have is SCENARIO_INVALID, so nothing is ever silently dropped.
 */
export class ScenarioPlayback {
  readonly jammers = new Map<number, Jammer>();
  surges: ActiveSurge[] = [];
  degrades: ActiveDegrade[] = [];
  #timeline: ScenarioTimeline | undefined;
  /** Bumped whenever the set of link degradations changes, so the gain matrix is rebuilt only then. */
  degradeVersion = 0;

  constructor(
    readonly nodes: number,
    readonly channels: number,
  ) {}

  load(scenario: Scenario | undefined): void {
    this.jammers.clear();
    this.surges = [];
    this.degrades = [];
    this.degradeVersion++;
    this.#timeline = undefined;
    if (!scenario) return;
    const timeline = new ScenarioTimeline(scenario, MESH_EVENT_KINDS);
    for (const [i, e] of scenario.events.entries()) this.#check(scenario.id, e, i);
    this.#timeline = timeline;
  }

  /** Events not fired yet. */
  get pending(): number {
    return this.#timeline?.pending ?? 0;
  }

  /** Fires every event with t ≤ time and expires effects that ended by then. */
  advance(time: number, handlers: PlaybackHandlers): void {
    const before = this.degrades.length;
    this.surges = this.surges.filter((s) => s.until_s > time);
    this.degrades = this.degrades.filter((d) => d.until_s > time);
    if (this.degrades.length !== before) this.degradeVersion++;
    if (!this.#timeline || this.#timeline.pending === 0) return;
    for (const e of this.#timeline.due(time)) this.#apply(e, handlers);
  }

  /** Link degradations as per-pair attenuation factors (both directions; several on one pair multiply). */
  writeDegradation(s: MeshState): void {
    s.degrade.fill(1);
    for (const d of this.degrades) {
      const f = 10 ** (-d.loss_dB / 10);
      s.degrade[d.from * s.stride + d.to] = (s.degrade[d.from * s.stride + d.to] as number) * f;
      s.degrade[d.to * s.stride + d.from] = (s.degrade[d.to * s.stride + d.from] as number) * f;
    }
  }

  /** Each node's load multiplier at its current position: the product of the active surges covering it. */
  writeLoadFactors(s: MeshState): void {
    s.loadFactor.fill(1);
    for (const surge of this.surges) {
      for (let i = 0; i < s.n; i++) {
        if (surge.center && surge.radius_m !== undefined) {
          const d = Math.hypot((s.posX[i] as number) - surge.center.x, (s.posY[i] as number) - surge.center.y);
          if (d > surge.radius_m) continue;
        }
        s.loadFactor[i] = (s.loadFactor[i] as number) * surge.factor;
      }
    }
  }

  #apply(e: ScenarioEvent, h: PlaybackHandlers): void {
    switch (e.kind) {
      case 'node-fail':
        h.nodeFail(e.node);
        break;
      case 'node-recover':
        h.nodeRecover(e.node);
        break;
      case 'jammer-on':
        this.jammers.set(e.jammer, {
          powerW: e.power_W,
          position: { x: e.position.x, y: e.position.y },
          radiusM: e.radius_m,
          channel: e.channel,
        });
        break;
      case 'jammer-off':
        this.jammers.delete(e.jammer);
        break;
      case 'traffic-surge':
        this.surges.push({
          ...(e.region ? { center: e.region.center, radius_m: e.region.radius_m } : {}),
          factor: e.factor,
          until_s: e.t + e.duration_s,
        });
        break;
      case 'link-degrade':
        this.degrades.push({
          from: e.from,
          to: e.to,
          loss_dB: e.loss_dB,
          until_s: e.duration_s === undefined ? Number.POSITIVE_INFINITY : e.t + e.duration_s,
        });
        this.degradeVersion++;
        break;
    }
  }

  #check(id: string, e: ScenarioEvent, i: number): void {
    const bad = (field: string, why: string): never => {
      throw new TwinforgeError('SCENARIO_INVALID', `scenario ${id}: events[${i}] (${e.kind}).${field} ${why}`, {
        details: { index: i, kind: e.kind, field },
      });
    };
    const finite = (v: number, field: string, min = Number.NEGATIVE_INFINITY) => {
      if (!Number.isFinite(v) || v < min) bad(field, `must be a finite number >= ${min}, got ${v}`);
    };
    const node = (v: number, field: string, max: number) => {
      if (!Number.isInteger(v) || v < 0 || v > max) bad(field, `must be a node index in 0..${max}, got ${v}`);
    };
    switch (e.kind) {
      case 'node-fail':
      case 'node-recover':
        node(e.node, 'node', this.nodes - 1);
        break;
      case 'jammer-on':
        if (!Number.isInteger(e.jammer)) bad('jammer', 'must be an integer id');
        finite(e.position.x, 'position.x');
        finite(e.position.y, 'position.y');
        finite(e.radius_m, 'radius_m', 0);
        finite(e.power_W, 'power_W', 0);
        if (!Number.isInteger(e.channel) || e.channel < 0 || e.channel >= this.channels) {
          bad('channel', `must be a channel in 0..${this.channels - 1}, got ${e.channel}`);
        }
        break;
      case 'jammer-off':
        if (!Number.isInteger(e.jammer)) bad('jammer', 'must be an integer id');
        break;
      case 'traffic-surge':
        finite(e.factor, 'factor', 0);
        finite(e.duration_s, 'duration_s', 0);
        if (e.region) {
          finite(e.region.center.x, 'region.center.x');
          finite(e.region.center.y, 'region.center.y');
          finite(e.region.radius_m, 'region.radius_m', 0);
        }
        break;
      case 'link-degrade':
        // The gateway (index = nodes) may be an end of a degraded link.
        node(e.from, 'from', this.nodes);
        node(e.to, 'to', this.nodes);
        if (e.from === e.to) bad('to', 'must differ from from');
        finite(e.loss_dB, 'loss_dB', 0);
        if (e.duration_s !== undefined) finite(e.duration_s, 'duration_s', 0);
        break;
    }
  }
}
