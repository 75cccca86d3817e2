/** Why a packet left the network without reaching the gateway. */
export const DROP_CAUSES = ['overflow', 'channel', 'timeout', 'ttl', 'failure'] as const;
export type DropCause = (typeof DROP_CAUSES)[number];

/**
 * Raw counts of one step, filled by the forwarding engine and turned into metrics and rewards. Per-origin arrays are
 * indexed by the node that generated the packet.
 */
export class StepCounters {
  generated = 0;
  delivered = 0;
  readonly dropped: Record<DropCause, number> = { overflow: 0, channel: 0, timeout: 0, ttl: 0, failure: 0 };
  latencySum_s = 0;
  latencyMax_s = 0;
  /** Smallest (latency − propagation/transmission bound) of the packets delivered in the step, s (∞ if none). */
  minSlack_s = Number.POSITIVE_INFINITY;
  attempts = 0;
  successes = 0;
  readonly generatedBy: Int32Array;
  readonly deliveredBy: Int32Array;
  readonly droppedBy: Int32Array;
  readonly latencyBy_s: Float64Array;

  constructor(n: number) {
    this.generatedBy = new Int32Array(n);
    this.deliveredBy = new Int32Array(n);
    this.droppedBy = new Int32Array(n);
    this.latencyBy_s = new Float64Array(n);
  }

  clear(): void {
    this.generated = 0;
    this.delivered = 0;
    for (const c of DROP_CAUSES) this.dropped[c] = 0;
    this.latencySum_s = 0;
    this.latencyMax_s = 0;
    this.minSlack_s = Number.POSITIVE_INFINITY;
    this.attempts = 0;
    this.successes = 0;
    this.generatedBy.fill(0);
    this.deliveredBy.fill(0);
    this.droppedBy.fill(0);
    this.latencyBy_s.fill(0);
  }

  get droppedTotal(): number {
    const d = this.dropped;
    return d.overflow + d.channel + d.timeout + d.ttl + d.failure;
  }
}

/**
 * Optional per-packet hooks for tests and instrumentation (calibrating the jammer, checking latency bounds). The
 * engine pays one branch per event when none is installed.
 */
export interface PacketObserver {
  /** One packet's hop: `attempts` transmissions (ARQ), `success` if one got through; `time_s` when it ended. */
  transmitted?(from: number, to: number, channel: number, success: boolean, attempts: number, time_s: number): void;
  delivered?(origin: number, latency_s: number, bound_s: number, hops: number): void;
  dropped?(origin: number, cause: DropCause, node: number): void;
}
