import { TwinforgeError } from '@twinforge/core';
import type { MecCostModel } from '@twinforge/plugin-env-mec';
import type { DecisionPolicy, SearchResult } from '../decision-policy.js';

/**
 * The exact optimum of P0 (seed 004 Eq. 11) when every task needs the same CPU cycles (Table I: F_i = 1e9), which is
 * what our reproduction uses to check how near PSO and DIRS come to the true optimum.
 *
 * With the exact per-MEC allocation, Φ(a) = Σ_i c_{i,a_i} + Σ_j φT·(Σ_{i→j} √F_i)²/F_j. When all √F_i equal s, MEC j's
 * execution term is φT·s²·k_j²/F_j for k_j clients: convex in k_j, with marginal cost φT·s²·(2k−1)/F_j for the k-th.
 * The problem is then a min-cost flow: source → device (capacity 1) → local (cost c_i0) or MEC j (cost c_ij, usable
 * links only) → sink through N unit arcs of increasing marginal costs. Successive shortest paths (Dijkstra with
 * Johnson potentials) pushes N units and is exact: convex separable costs make the unit-arc expansion exact.
 * O(N·(V² + E)) with V = N + M + 3: a few ms for 10 × 200.
 */
export function exactDecision(model: MecCostModel): SearchResult {
  const { devices: n, mecs: m } = model;
  const s = n > 0 ? (model.sqrtCycles[0] as number) : 0;
  for (let i = 1; i < n; i++) {
    if (Math.abs((model.sqrtCycles[i] as number) - s) > 1e-12 * s) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        'exactDecision needs equal task cycles F_i (Table I); use PSO or DE for heterogeneous tasks',
      );
    }
  }
  const g = new FlowGraph(n + m + 3);
  const S = 0;
  const L = n + m + 1;
  const T = n + m + 2;
  const deviceArcs: number[][] = [];
  for (let i = 0; i < n; i++) {
    g.add(S, 1 + i, 1, 0);
    const arcs: number[] = [g.add(1 + i, L, 1, model.localPhi[i] as number)];
    for (let j = 1; j <= m; j++) {
      if (model.usable(i, j)) arcs.push(g.add(1 + i, n + j, 1, model.linkTxPhi[i * m + j - 1] as number));
      else arcs.push(-1);
    }
    deviceArcs.push(arcs);
  }
  g.add(L, T, n, 0);
  for (let j = 1; j <= m; j++) {
    const unit = (model.execScale[j - 1] as number) * s * s;
    for (let k = 1; k <= n; k++) g.add(n + j, T, 1, unit * (2 * k - 1));
  }
  g.minCostFlow(S, T, n);
  const decision = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const arcs = deviceArcs[i] as number[];
    for (let j = 1; j <= m; j++) {
      const e = arcs[j] as number;
      if (e >= 0 && g.flow(e) > 0) decision[i] = j;
    }
  }
  return { decision, phi: model.evaluate(decision), evaluations: 1 };
}

/** The exact optimum as a decision policy (Table I tasks only). */
export const exactPolicy: DecisionPolicy = { name: 'exact', decide: (model) => exactDecision(model).decision };

/** A residual graph with arcs stored in flat arrays; arc e and e^1 are a forward/backward pair. */
class FlowGraph {
  readonly #n: number;
  readonly #head: Int32Array;
  #to: number[] = [];
  #cap: number[] = [];
  #cost: number[] = [];
  #next: number[] = [];

  constructor(nodes: number) {
    this.#n = nodes;
    this.#head = new Int32Array(nodes).fill(-1);
  }

  add(u: number, v: number, cap: number, cost: number): number {
    const e = this.#to.length;
    this.#push(u, v, cap, cost);
    this.#push(v, u, 0, -cost);
    return e;
  }

  #push(u: number, v: number, cap: number, cost: number): void {
    this.#to.push(v);
    this.#cap.push(cap);
    this.#cost.push(cost);
    this.#next.push(this.#head[u] as number);
    this.#head[u] = this.#to.length - 1;
  }

  /** Units sent along forward arc e. */
  flow(e: number): number {
    return this.#cap[e ^ 1] as number;
  }

  minCostFlow(s: number, t: number, units: number): void {
    const n = this.#n;
    const pot = new Float64Array(n); // all arc costs are >= 0 initially, so zero potentials are valid
    const dist = new Float64Array(n);
    const prevArc = new Int32Array(n);
    const done = new Uint8Array(n);
    for (let sent = 0; sent < units; sent++) {
      dist.fill(Number.POSITIVE_INFINITY);
      done.fill(0);
      prevArc.fill(-1);
      dist[s] = 0;
      for (;;) {
        let u = -1;
        let best = Number.POSITIVE_INFINITY;
        for (let v = 0; v < n; v++) {
          if (!done[v] && (dist[v] as number) < best) {
            best = dist[v] as number;
            u = v;
          }
        }
        if (u < 0) break;
        done[u] = 1;
        for (let e = this.#head[u] as number; e >= 0; e = this.#next[e] as number) {
          if ((this.#cap[e] as number) <= 0) continue;
          const v = this.#to[e] as number;
          // reduced costs are >= 0 up to rounding; clamping keeps Dijkstra's invariant
          const rc = Math.max(0, (this.#cost[e] as number) + (pot[u] as number) - (pot[v] as number));
          if (best + rc < (dist[v] as number)) {
            dist[v] = best + rc;
            prevArc[v] = e;
          }
        }
      }
      if (!Number.isFinite(dist[t] as number)) {
        throw new TwinforgeError(
          'NUMERIC_INVALID',
          'exactDecision: no augmenting path (a device has no finite option)',
        );
      }
      for (let v = 0; v < n; v++)
        if (Number.isFinite(dist[v] as number)) pot[v] = (pot[v] as number) + (dist[v] as number);
      for (let v = t; v !== s; ) {
        const e = prevArc[v] as number;
        this.#cap[e] = (this.#cap[e] as number) - 1;
        this.#cap[e ^ 1] = (this.#cap[e ^ 1] as number) + 1;
        v = this.#to[e ^ 1] as number;
      }
    }
  }
}
