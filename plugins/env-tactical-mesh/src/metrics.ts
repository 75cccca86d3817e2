import type { DropCause, StepCounters } from './step-counters.js';

/** Network metrics of one step (seed 003 §VIII: latency, throughput, plus PDR, drops and fairness). */
export interface MeshMetrics {
  /** End of the step, s since the episode start. */
  readonly time_s: number;
  /** Bits generated in the step / dt, Mbps. */
  readonly offered_Mbps: number;
  /** Bits delivered to the gateway in the step / dt, Mbps. */
  readonly throughput_Mbps: number;
  /** Mean end-to-end latency of the packets delivered in the step, ms (0 when none was delivered). */
  readonly latency_ms: number;
  readonly latencyMax_ms: number;
  /** Delivered / (delivered + dropped) over the packets whose fate was decided in the step (1 when none was). */
  readonly pdr: number;
  /** Delivered / generated since the episode start (0 before anything was generated). */
  readonly pdrEpisode: number;
  readonly generated: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly drops: Readonly<Record<DropCause, number>>;
  /** Packets waiting in queues at the end of the step. */
  readonly queued: number;
  /** Jain's index of per-source delivered throughput over live nodes, in [1/n, 1] (1 when nobody delivered). */
  readonly fairness: number;
  /** Successful / attempted hop transmissions in the step (1 when nothing was sent). */
  readonly linkSuccess: number;
  readonly aliveNodes: number;
  /** Live nodes receiving jamming above the noise floor on some channel. */
  readonly jammedNodes: number;
  readonly activeJammers: number;
}

/** Jain's fairness index (Σx)² / (n·Σx²) over the entries where `include` is set; 1 when every x is 0. */
export function jainIndex(x: ArrayLike<number>, include?: ArrayLike<number>): number {
  let sum = 0;
  let sq = 0;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (include && include[i] === 0) continue;
    const v = x[i] as number;
    sum += v;
    sq += v * v;
    count++;
  }
  if (count === 0 || sq === 0) return 1;
  return (sum * sum) / (count * sq);
}

/** Episode totals, kept so conservation (delivered + dropped + queued = generated) can be checked at any step. */
export class EpisodeTotals {
  generated = 0;
  delivered = 0;
  dropped = 0;
  deliveredBits = 0;
  latencySum_s = 0;

  clear(): void {
    this.generated = 0;
    this.delivered = 0;
    this.dropped = 0;
    this.deliveredBits = 0;
    this.latencySum_s = 0;
  }

  add(c: StepCounters, packetBits: number): void {
    this.generated += c.generated;
    this.delivered += c.delivered;
    this.dropped += c.droppedTotal;
    this.deliveredBits += c.delivered * packetBits;
    this.latencySum_s += c.latencySum_s;
  }
}

export interface MetricsContext {
  readonly time_s: number;
  readonly dt_s: number;
  readonly packetBits: number;
  readonly queued: number;
  readonly alive: Uint8Array;
  readonly nodes: number;
  readonly jammedNodes: number;
  readonly activeJammers: number;
  readonly totals: EpisodeTotals;
}

export function stepMetrics(c: StepCounters, ctx: MetricsContext): MeshMetrics {
  const mbps = ctx.packetBits / ctx.dt_s / 1e6;
  const dropped = c.droppedTotal;
  const resolved = c.delivered + dropped;
  let aliveNodes = 0;
  for (let i = 0; i < ctx.nodes; i++) aliveNodes += ctx.alive[i] as number;
  return {
    time_s: ctx.time_s,
    offered_Mbps: c.generated * mbps,
    throughput_Mbps: c.delivered * mbps,
    latency_ms: c.delivered > 0 ? (c.latencySum_s / c.delivered) * 1000 : 0,
    latencyMax_ms: c.latencyMax_s * 1000,
    pdr: resolved > 0 ? c.delivered / resolved : 1,
    pdrEpisode: ctx.totals.generated > 0 ? ctx.totals.delivered / ctx.totals.generated : 0,
    generated: c.generated,
    delivered: c.delivered,
    dropped,
    drops: { ...c.dropped },
    queued: ctx.queued,
    fairness: jainIndex(c.deliveredBy, ctx.alive),
    linkSuccess: c.attempts > 0 ? c.successes / c.attempts : 1,
    aliveNodes,
    jammedNodes: ctx.jammedNodes,
    activeJammers: ctx.activeJammers,
  };
}
