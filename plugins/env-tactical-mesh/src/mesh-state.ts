/**
 * The mutable state of the mesh as flat typed arrays (struct of arrays). Node ids 0..n-1 are the radios (agents);
 * id n is the gateway, so pairwise arrays are (n+1)×(n+1), row-major, `i * stride + j`. Per-channel arrays are
 * (n+1)×channels. Everything the step loop touches lives here, allocated once per environment.
 */
export class MeshState {
  readonly n: number;
  /** Index of the gateway in every node-indexed array. */
  readonly gw: number;
  /** Row length of pairwise arrays (n + 1). */
  readonly stride: number;
  readonly channels: number;
  readonly slots: number;
  readonly queueCap: number;

  readonly posX: Float64Array;
  readonly posY: Float64Array;
  /** 1 while the node works; the gateway never fails. */
  readonly alive: Uint8Array;
  /** Shadowing factor per pair (linear, symmetric), drawn at reset. */
  readonly shadow: Float64Array;
  /** Extra attenuation per pair from link-degrade events (linear ≤ 1, symmetric). */
  readonly degrade: Float64Array;
  /** Mean channel gain per pair: path gain × shadowing × degradation (symmetric). */
  readonly gain: Float64Array;

  readonly channel: Int32Array;
  readonly powerLevel: Int32Array;
  readonly txPowerW: Float64Array;
  /** Next hop chosen for this step (node id, gw, or -1 to hold). */
  readonly nextHop: Int32Array;

  /** Time each node's radio finishes its current transmission (may run past the end of a step), s. */
  readonly busyUntil: Float64Array;
  /** Fraction of the last step each node spent transmitting. */
  readonly activity: Float64Array;
  /** Air time each node needed last step (fraction of a step, ≤ 1): its claim in the contention domain. */
  readonly demand: Float64Array;
  /** Air-time share granted this step. */
  readonly share: Float64Array;

  /** Jamming power per receiver and channel, W. */
  readonly jamW: Float64Array;
  /** External interference per receiver on every channel (scenario map), W. */
  readonly backgroundW: Float64Array;
  /** Interference + jamming per receiver and channel that a transmission to it must overcome, W. */
  readonly interfW: Float64Array;

  /** Distance of every node (and the gateway, 0) to the gateway, m; refreshed with the positions. */
  readonly distGw: Float64Array;
  /** Hops to the gateway over the connectivity graph (maximum power, no interference); -1 if cut off. */
  readonly hop: Int32Array;
  /** Neighbour table: `slots` candidate next hops per node (ids, -1 for empty), best first. */
  readonly neighbors: Int32Array;

  /** FIFO ring buffers: node i owns queue[i*queueCap .. (i+1)*queueCap), head at queueHead[i], queueLen[i] items. */
  readonly queue: Int32Array;
  readonly queueHead: Int32Array;
  readonly queueLen: Int32Array;
  /** Multiplier of each node's offered load from traffic surges. */
  readonly loadFactor: Float64Array;

  /** Transmission attempts / successes of each node in the last step (ACK feedback in observations). */
  readonly txAttempts: Int32Array;
  readonly txSuccess: Int32Array;
  /** Packets each node sent over its hop in the last step, and how many of them were lost after all retries
   * (the link-layer failure feedback AODV uses to detect a broken link). */
  readonly txPackets: Int32Array;
  readonly txLost: Int32Array;

  constructor(n: number, channels: number, slots: number, queueCap: number) {
    this.n = n;
    this.gw = n;
    this.stride = n + 1;
    this.channels = channels;
    this.slots = slots;
    this.queueCap = queueCap;
    const pairs = (n + 1) * (n + 1);
    this.posX = new Float64Array(n + 1);
    this.posY = new Float64Array(n + 1);
    this.alive = new Uint8Array(n + 1);
    this.shadow = new Float64Array(pairs);
    this.degrade = new Float64Array(pairs);
    this.gain = new Float64Array(pairs);
    this.channel = new Int32Array(n);
    this.powerLevel = new Int32Array(n);
    this.txPowerW = new Float64Array(n);
    this.nextHop = new Int32Array(n);
    this.busyUntil = new Float64Array(n);
    this.activity = new Float64Array(n);
    this.demand = new Float64Array(n);
    this.share = new Float64Array(n);
    this.jamW = new Float64Array((n + 1) * channels);
    this.backgroundW = new Float64Array(n + 1);
    this.interfW = new Float64Array((n + 1) * channels);
    this.distGw = new Float64Array(n + 1);
    this.hop = new Int32Array(n + 1);
    this.neighbors = new Int32Array(n * slots);
    this.queue = new Int32Array(n * queueCap);
    this.queueHead = new Int32Array(n);
    this.queueLen = new Int32Array(n);
    this.loadFactor = new Float64Array(n);
    this.txAttempts = new Int32Array(n);
    this.txSuccess = new Int32Array(n);
    this.txPackets = new Int32Array(n);
    this.txLost = new Int32Array(n);
  }

  /** Packets queued over all nodes. */
  queuedTotal(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.queueLen[i] as number;
    return s;
  }

  /** Packet id at the head of node i's queue, or -1 when it is empty. */
  headPacket(i: number): number {
    return (this.queueLen[i] as number) > 0
      ? (this.queue[i * this.queueCap + (this.queueHead[i] as number)] as number)
      : -1;
  }

  distance(i: number, j: number): number {
    return Math.hypot(
      (this.posX[i] as number) - (this.posX[j] as number),
      (this.posY[i] as number) - (this.posY[j] as number),
    );
  }
}
