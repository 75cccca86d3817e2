/**
 * Every packet in flight, as a struct of typed arrays indexed by packet id, with a free list. The mesh moves ids
 * between queues; nothing is allocated per packet, so a step costs the same on the millionth call as on the first.
 */
export class PacketPool {
  /** Generation time, s since the episode start. */
  created = new Float64Array(0);
  /** Time the packet reached the node that holds it, s. */
  arrived = new Float64Array(0);
  /** Sum over the hops taken of propagation + one packet air time at the PHY rate: the latency lower bound, s. */
  bound = new Float64Array(0);
  origin = new Int32Array(0);
  hops = new Uint8Array(0);
  #free = new Int32Array(0);
  #freeTop = 0;
  #live = 0;

  constructor(capacity = 1024) {
    this.#grow(capacity);
  }

  /** Packets currently allocated. */
  get live(): number {
    return this.#live;
  }

  /** Frees everything (episode reset). */
  clear(): void {
    const cap = this.created.length;
    for (let i = 0; i < cap; i++) this.#free[i] = cap - 1 - i;
    this.#freeTop = cap;
    this.#live = 0;
  }

  alloc(origin: number, time: number): number {
    if (this.#freeTop === 0) this.#grow(this.created.length * 2);
    const id = this.#free[--this.#freeTop] as number;
    this.created[id] = time;
    this.arrived[id] = time;
    this.bound[id] = 0;
    this.origin[id] = origin;
    this.hops[id] = 0;
    this.#live++;
    return id;
  }

  release(id: number): void {
    this.#free[this.#freeTop++] = id;
    this.#live--;
  }

  #grow(capacity: number): void {
    const old = this.created.length;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.created = grow(this.created, (n) => new Float64Array(n));
    this.arrived = grow(this.arrived, (n) => new Float64Array(n));
    this.bound = grow(this.bound, (n) => new Float64Array(n));
    this.origin = grow(this.origin, (n) => new Int32Array(n));
    this.hops = grow(this.hops, (n) => new Uint8Array(n));
    const free = new Int32Array(capacity);
    free.set(this.#free.subarray(0, this.#freeTop));
    // New ids pushed so the lowest is handed out first (deterministic, cache-friendly).
    let top = this.#freeTop;
    for (let id = capacity - 1; id >= old; id--) free[top++] = id;
    this.#free = free;
    this.#freeTop = top;
  }
}
