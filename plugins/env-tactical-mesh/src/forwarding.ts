import type { Rng } from '@twinforge/core';
import { attemptSuccess } from './interference.js';
import type { MeshState } from './mesh-state.js';
import type { PacketPool } from './packet-pool.js';
import { propagationDelay, type RadioModel } from './radio.js';
import type { DropCause, PacketObserver, StepCounters } from './step-counters.js';

export interface ForwardingParams {
  readonly dt_s: number;
  readonly packetBits: number;
  readonly timeout_s: number;
  readonly maxHops: number;
  /** Link-layer retransmissions after a failed attempt. */
  readonly retries: number;
}

/**
 * Moves packets for one step [t0, t0 + dt) in continuous time. Every node is a FIFO single server that sends to its
 * chosen next hop: each attempt takes one air time divided by the node's air-time share and succeeds with the link's
 * Rayleigh success probability; a failed attempt is retried up to `retries` times (stop-and-wait ARQ), after which the
 * packet is dropped. A delivered packet arrives at the next hop after the propagation delay. Nodes are served from the farthest (along the chosen next hops) to the gateway, so a packet can
 * cross several hops within a step with exact timestamps; a packet sent to a node already served this step (a loop or
 * an uphill choice) waits in that node's queue for the next step. Queues hold `queueCap` packets; arrivals beyond
 * it are dropped, as are packets older than the timeout and packets over the hop limit.
 */
export class Forwarder {
  readonly #s: MeshState;
  readonly #pool: PacketPool;
  readonly #radio: RadioModel;
  readonly #p: ForwardingParams;
  readonly #inbox: Int32Array[];
  readonly #inboxLen: Int32Array;
  readonly #order: Int32Array;
  readonly #depth: Int32Array;
  readonly #color: Uint8Array;
  readonly #stack: Int32Array;
  readonly #bucket: Int32Array;
  readonly #processed: Uint8Array;
  readonly #linkP: Float64Array;
  #dep = new Float64Array(64);
  /** Packets per second each node generates before surges. */
  #rate = 0;
  observer: PacketObserver | undefined;

  constructor(s: MeshState, pool: PacketPool, radio: RadioModel, params: ForwardingParams) {
    this.#s = s;
    this.#pool = pool;
    this.#radio = radio;
    this.#p = params;
    this.#inbox = Array.from({ length: s.n }, () => new Int32Array(16));
    this.#inboxLen = new Int32Array(s.n);
    this.#order = new Int32Array(s.n);
    this.#depth = new Int32Array(s.n);
    this.#color = new Uint8Array(s.n);
    this.#stack = new Int32Array(s.n);
    this.#bucket = new Int32Array(s.n + 2);
    this.#processed = new Uint8Array(s.n);
    this.#linkP = new Float64Array(s.n);
  }

  setPacketRate(packetsPerSecond: number): void {
    this.#rate = packetsPerSecond;
  }

  /** Success probability of each node's chosen link this step (0 when holding). */
  get linkSuccess(): Float64Array {
    return this.#linkP;
  }

  step(t0: number, rng: Rng, c: StepCounters): void {
    const s = this.#s;
    const t1 = t0 + this.#p.dt_s;
    for (let i = 0; i < s.n; i++) {
      const nh = s.nextHop[i] as number;
      this.#linkP[i] =
        s.alive[i] === 1 && nh >= 0
          ? attemptSuccess(s, this.#radio, i, nh, s.channel[i] as number, s.txPowerW[i] as number)
          : 0;
    }
    this.#generate(t0, t1, rng, c);
    this.#computeOrder();
    this.#processed.fill(0);
    for (let k = 0; k < s.n; k++) {
      const i = this.#order[k] as number;
      this.#processed[i] = 1;
      this.#serve(i, t0, t1, rng, c);
    }
  }

  /** Poisson arrivals at every live node: exponential gaps from t0 (memoryless, so restarting each step is exact). */
  #generate(t0: number, t1: number, rng: Rng, c: StepCounters): void {
    const s = this.#s;
    const pool = this.#pool;
    this.#inboxLen.fill(0);
    for (let i = 0; i < s.n; i++) {
      if (s.alive[i] === 0) continue;
      const rate = this.#rate * (s.loadFactor[i] as number);
      if (!(rate > 0)) continue;
      let t = t0 + rng.exponential(rate);
      while (t < t1) {
        this.#push(i, pool.alloc(i, t));
        c.generated++;
        c.generatedBy[i] = (c.generatedBy[i] as number) + 1;
        t += rng.exponential(rate);
      }
    }
  }

  /** Orders nodes by depth along the chosen next hops, deepest first (counting sort); loops count as depth 1. */
  #computeOrder(): void {
    const s = this.#s;
    const n = s.n;
    const depth = this.#depth;
    const color = this.#color;
    const stack = this.#stack;
    color.fill(0);
    let maxDepth = 0;
    for (let i = 0; i < n; i++) {
      if (color[i] !== 0) continue;
      let top = 0;
      let j = i;
      while (j >= 0 && j < n && color[j] === 0) {
        color[j] = 1;
        stack[top++] = j;
        j = s.alive[j] === 1 ? (s.nextHop[j] as number) : -1;
      }
      let base = j >= 0 && j < n && color[j] === 2 ? (depth[j] as number) : 0;
      while (top > 0) {
        const u = stack[--top] as number;
        base++;
        depth[u] = base;
        color[u] = 2;
      }
      if (base > maxDepth) maxDepth = base;
    }
    const bucket = this.#bucket;
    bucket.fill(0);
    for (let i = 0; i < n; i++) {
      const d = Math.min(depth[i] as number, n);
      bucket[d] = (bucket[d] as number) + 1;
    }
    // Deepest first: prefix sums from the top.
    let acc = 0;
    for (let d = n + 1; d >= 0; d--) {
      const cnt = bucket[d] as number;
      bucket[d] = acc;
      acc += cnt;
    }
    for (let i = 0; i < n; i++) {
      const d = Math.min(depth[i] as number, n);
      this.#order[bucket[d] as number] = i;
      bucket[d] = (bucket[d] as number) + 1;
    }
  }

  #serve(i: number, t0: number, t1: number, rng: Rng, c: StepCounters): void {
    const s = this.#s;
    const pool = this.#pool;
    const inbox = this.#inbox[i] as Int32Array;
    const inCount = this.#inboxLen[i] as number;
    this.#inboxLen[i] = 0;
    if (s.alive[i] === 0) {
      for (let k = 0; k < inCount; k++) this.#drop(inbox[k] as number, 'failure', i, c);
      return;
    }
    const cap = s.queueCap;
    const base = i * cap;
    const queue = s.queue;
    let head = s.queueHead[i] as number;
    let len = s.queueLen[i] as number;
    const nh = s.nextHop[i] as number;
    const transmitting = nh >= 0 && (nh === s.gw || s.alive[nh] === 1);
    const airtime = this.#radio.packetAirtime_s;
    const share = s.share[i] as number;
    const service = transmitting && share > 0 ? airtime / share : Number.POSITIVE_INFINITY;
    const p = this.#linkP[i] as number;
    const prop = transmitting ? propagationDelay(s.distance(i, nh)) : 0;
    const timeout = this.#p.timeout_s;
    const retries = this.#p.retries;
    const arrived = pool.arrived;
    const created = pool.created;
    if (this.#dep.length < len + inCount) this.#dep = new Float64Array(2 * (len + inCount));
    const dep = this.#dep;
    let free = Math.max(t0, s.busyUntil[i] as number);
    let stopped = !(service < Number.POSITIVE_INFINITY);
    // Items that entered the server this step, in order, with their departure times (monotone): the queue length
    // an arrival at time a sees is (admitted − departed by a).
    let served = 0;
    let admitted = len;
    let dptr = 0;
    let tries = 0;
    let ok = 0;
    let packets = 0;
    const initial = len;
    // The queue was built in FIFO order and everything in it arrived before t0, so it is served first.
    for (let k = 0; k < initial && !stopped; k++) {
      const id = queue[base + head] as number;
      const start = Math.max(arrived[id] as number, free);
      if (start - (created[id] as number) <= timeout && start + service > t1) {
        stopped = true;
        break;
      }
      head = head + 1 === cap ? 0 : head + 1;
      len--;
      if (start - (created[id] as number) > timeout) {
        this.#drop(id, 'timeout', i, c);
        dep[served++] = start;
        continue;
      }
      const attempts = this.#attempts(p, retries, rng);
      free = start + (attempts > 0 ? attempts : retries + 1) * service;
      dep[served++] = free;
      tries += attempts > 0 ? attempts : retries + 1;
      packets++;
      if (this.#transmitted(i, nh, id, attempts, free, prop, airtime, c)) ok++;
    }
    for (let k = 0; k < inCount; k++) {
      const id = inbox[k] as number;
      const a = arrived[id] as number;
      while (dptr < served && (dep[dptr] as number) <= a) dptr++;
      if (admitted - dptr >= cap) {
        this.#drop(id, 'overflow', i, c);
        continue;
      }
      admitted++;
      if (!stopped) {
        const start = Math.max(a, free);
        if (start - (created[id] as number) > timeout) {
          this.#drop(id, 'timeout', i, c);
          dep[served++] = start;
          continue;
        }
        if (start + service <= t1) {
          // The queue is empty here (it was served before any inbox item), so the packet goes straight on air.
          const attempts = this.#attempts(p, retries, rng);
          free = start + (attempts > 0 ? attempts : retries + 1) * service;
          dep[served++] = free;
          tries += attempts > 0 ? attempts : retries + 1;
          packets++;
          if (this.#transmitted(i, nh, id, attempts, free, prop, airtime, c)) ok++;
          continue;
        }
        stopped = true;
      }
      queue[base + ((head + len) % cap)] = id;
      len++;
    }
    // Stale packets at the head go now rather than clog the buffer (the rest time out when they reach the head).
    while (len > 0 && t1 - (created[queue[base + head] as number] as number) > timeout) {
      this.#drop(queue[base + head] as number, 'timeout', i, c);
      head = head + 1 === cap ? 0 : head + 1;
      len--;
    }
    s.queueHead[i] = head;
    s.queueLen[i] = len;
    s.busyUntil[i] = free;
    c.attempts += tries;
    c.successes += ok;
    s.txAttempts[i] = tries;
    s.txSuccess[i] = ok;
    s.txPackets[i] = packets;
    s.txLost[i] = packets - ok;
    s.activity[i] = (tries * airtime) / this.#p.dt_s;
    // Air time claimed next step: what was sent plus the backlog at the expected attempts per packet under ARQ.
    const expectedTries = p > 0 ? (1 - (1 - p) ** (retries + 1)) / p : retries + 1;
    const need = ((tries + len * expectedTries) * airtime) / this.#p.dt_s;
    s.demand[i] = Math.min(need, 1);
  }

  /** Stop-and-wait ARQ: the attempt that first succeeds (1-based), or 0 after retries + 1 failures. */
  #attempts(p: number, retries: number, rng: Rng): number {
    for (let k = 1; k <= retries + 1; k++) if (rng.uniform() < p) return k;
    return 0;
  }

  /** Accounts one packet's hop that ended at `end`; returns whether it got through. */
  #transmitted(
    i: number,
    nh: number,
    id: number,
    attempts: number,
    end: number,
    prop: number,
    airtime: number,
    c: StepCounters,
  ): boolean {
    const s = this.#s;
    const pool = this.#pool;
    const success = attempts > 0;
    this.observer?.transmitted?.(i, nh, s.channel[i] as number, success, success ? attempts : this.#p.retries + 1, end);
    if (!success) {
      this.#drop(id, 'channel', i, c);
      return false;
    }
    const at = end + prop;
    pool.arrived[id] = at;
    pool.bound[id] = (pool.bound[id] as number) + prop + airtime;
    pool.hops[id] = (pool.hops[id] as number) + 1;
    if (nh === s.gw) this.#deliver(id, at, c);
    else if ((pool.hops[id] as number) >= this.#p.maxHops) this.#drop(id, 'ttl', nh, c);
    else if (this.#processed[nh] === 1) this.#append(nh, id, c);
    else this.#push(nh, id);
    return true;
  }

  /** Adds a packet to a node's inbox for this step, keeping the inbox sorted by arrival time (insertion from the end). */
  #push(j: number, id: number): void {
    let box = this.#inbox[j] as Int32Array;
    let len = this.#inboxLen[j] as number;
    if (len === box.length) {
      const bigger = new Int32Array(box.length * 2);
      bigger.set(box);
      this.#inbox[j] = bigger;
      box = bigger;
    }
    const arrived = this.#pool.arrived;
    const a = arrived[id] as number;
    while (len > 0 && (arrived[box[len - 1] as number] as number) > a) {
      box[len] = box[len - 1] as number;
      len--;
    }
    box[len] = id;
    this.#inboxLen[j] = (this.#inboxLen[j] as number) + 1;
  }

  /** A packet sent to a node already served this step joins the tail of its queue (served next step). */
  #append(j: number, id: number, c: StepCounters): void {
    const s = this.#s;
    const len = s.queueLen[j] as number;
    if (len >= s.queueCap) {
      this.#drop(id, 'overflow', j, c);
      return;
    }
    s.queue[j * s.queueCap + (((s.queueHead[j] as number) + len) % s.queueCap)] = id;
    s.queueLen[j] = len + 1;
  }

  #deliver(id: number, at: number, c: StepCounters): void {
    const pool = this.#pool;
    const origin = pool.origin[id] as number;
    const latency = at - (pool.created[id] as number);
    const slack = latency - (pool.bound[id] as number);
    c.delivered++;
    c.deliveredBy[origin] = (c.deliveredBy[origin] as number) + 1;
    c.latencySum_s += latency;
    c.latencyBy_s[origin] = (c.latencyBy_s[origin] as number) + latency;
    if (latency > c.latencyMax_s) c.latencyMax_s = latency;
    if (slack < c.minSlack_s) c.minSlack_s = slack;
    this.observer?.delivered?.(origin, latency, pool.bound[id] as number, pool.hops[id] as number);
    pool.release(id);
  }

  #drop(id: number, cause: DropCause, node: number, c: StepCounters): void {
    const origin = this.#pool.origin[id] as number;
    c.dropped[cause]++;
    c.droppedBy[origin] = (c.droppedBy[origin] as number) + 1;
    this.observer?.dropped?.(origin, cause, node);
    this.#pool.release(id);
  }

  /** Drops every packet queued at node i (the node failed). */
  dropQueue(i: number, c: StepCounters): void {
    const s = this.#s;
    const len = s.queueLen[i] as number;
    const head = s.queueHead[i] as number;
    for (let k = 0; k < len; k++)
      this.#drop(s.queue[i * s.queueCap + ((head + k) % s.queueCap)] as number, 'failure', i, c);
    s.queueLen[i] = 0;
    s.queueHead[i] = 0;
  }
}
