import type { ParallelStepResult } from '@twinforge/core';
import { attemptSuccess } from './interference.js';
import { shortestPathTree } from './shortest-path.js';
import type { TacticalMeshEnv } from './tactical-mesh-env.js';
import { connected } from './topology.js';

/**
 * A routing controller that drives every node of a TacticalMeshEnv through `stepRaw` (conventional protocols know
 * their neighbours' identities from HELLO beacons, which the learning agents see only as slots). Call `reset(env)`
 * right after `env.reset()`, then `step(env)` once per environment step.
 */
export interface MeshController {
  readonly name: string;
  reset(env: TacticalMeshEnv): void;
  step(env: TacticalMeshEnv): ParallelStepResult<Float32Array>;
}

export interface BaselineOptions {
  /** The fixed channel (default 0). */
  channel?: number;
}

/**
 * Static shortest-path routing (issue 9 baseline a; seed 003 "conventional routing"): hop-count routes computed once
 * from the connectivity at reset and never changed; every node at maximum power on one fixed channel. A node whose
 * next hop has failed or moved out of range holds its packets (they time out or overflow).
 */
export class StaticShortestPath implements MeshController {
  readonly name: string = 'static-shortest-path';
  protected routes = new Int32Array(0);
  protected hops = new Int32Array(0);
  protected power = new Int32Array(0);
  protected channel = new Int32Array(0);

  constructor(readonly options: BaselineOptions = {}) {}

  reset(env: TacticalMeshEnv): void {
    const s = env.view;
    this.routes = new Int32Array(s.n);
    this.hops = new Int32Array(s.n + 1);
    this.power = new Int32Array(s.n).fill(env.radio.powerLevelsW.length - 1);
    this.channel = new Int32Array(s.n).fill(this.options.channel ?? 0);
    shortestPathTree(s, (i, j) => connected(s, env.radio, i, j), this.routes, this.hops);
  }

  step(env: TacticalMeshEnv): ParallelStepResult<Float32Array> {
    return env.stepRaw(this.routes, this.power, this.channel);
  }

  /** The current next hop of every node (gateway = view.gw, -1 none). */
  get nextHops(): Int32Array {
    return this.routes;
  }
}

export interface ReactiveOptions extends BaselineOptions {
  /** Seconds between detecting a broken route and using the recomputed routes (route discovery + hold-down). */
  reactionDelay_s?: number;
  /** A route is broken when at least this share of the packets sent on it in the last step were lost after all
   * retries (link-layer failure feedback; default 0.5). */
  lossAbove?: number;
  /** Minimum packets sent in a step before the loss share counts (default 3). */
  minPackets?: number;
  /** Links whose probed attempt success (fixed channel, maximum power) is below this are left out when routes
   * are recomputed (default 0.5, the neighbour criterion). */
  probeBelow?: number;
}

/**
 * Reactive shortest-path routing (issue 9 baseline b, AODV-like): starts from the same hop-count routes; a route is
 * declared broken when its next hop vanishes (failure, out of range), when a node has no route, or when at least
 * `lossAbove` of the packets sent on it in the last step were lost after all retries (the link-layer feedback AODV
 * uses); `reactionDelay_s` after the first such detection all routes are recomputed by hop count over the links
 * whose probed attempt success (fixed channel, maximum power, as an ETX probe would measure) is at least
 * `probeBelow`. Maximum power, one fixed channel.
 */
export class ReactiveShortestPath extends StaticShortestPath {
  override readonly name: string = 'reactive-shortest-path';
  readonly reactionDelay_s: number;
  readonly lossAbove: number;
  readonly minPackets: number;
  readonly probeBelow: number;
  #recomputeAt = Number.POSITIVE_INFINITY;
  /** Times at which routes were recomputed in the current episode (s). */
  recomputations: number[] = [];

  constructor(options: ReactiveOptions = {}) {
    super(options);
    this.reactionDelay_s = options.reactionDelay_s ?? 5;
    this.lossAbove = options.lossAbove ?? 0.5;
    this.minPackets = options.minPackets ?? 3;
    this.probeBelow = options.probeBelow ?? 0.5;
  }

  override reset(env: TacticalMeshEnv): void {
    super.reset(env);
    this.#recomputeAt = Number.POSITIVE_INFINITY;
    this.recomputations = [];
  }

  override step(env: TacticalMeshEnv): ParallelStepResult<Float32Array> {
    const now = env.time_s;
    if (now >= this.#recomputeAt) {
      this.#recompute(env);
      this.#recomputeAt = Number.POSITIVE_INFINITY;
      this.recomputations.push(now);
    }
    const result = env.stepRaw(this.routes, this.power, this.channel);
    if (this.#recomputeAt === Number.POSITIVE_INFINITY && this.#broken(env)) {
      this.#recomputeAt = env.time_s + this.reactionDelay_s;
    }
    return result;
  }

  #broken(env: TacticalMeshEnv): boolean {
    const s = env.view;
    for (let i = 0; i < s.n; i++) {
      if (s.alive[i] === 0) continue;
      const r = this.routes[i] as number;
      if (r < 0) return true;
      let present = false;
      for (let m = 0; m < s.slots; m++) if (s.neighbors[i * s.slots + m] === r) present = true;
      if (!present) return true;
      const sent = s.txPackets[i] as number;
      if (sent >= this.minPackets && (s.txLost[i] as number) / sent >= this.lossAbove) return true;
    }
    return false;
  }

  #recompute(env: TacticalMeshEnv): void {
    const s = env.view;
    const radio = env.radio;
    const ch = this.options.channel ?? 0;
    shortestPathTree(
      s,
      (i, j) => connected(s, radio, i, j) && attemptSuccess(s, radio, i, j, ch, radio.maxPowerW) >= this.probeBelow,
      this.routes,
      this.hops,
    );
  }
}
