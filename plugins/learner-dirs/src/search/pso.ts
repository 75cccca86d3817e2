import { type Rng, TwinforgeError } from '@twinforge/core';
import { fastUniform, type MecCostModel } from '@twinforge/plugin-env-mec';
import type { DecisionPolicy, SearchResult } from '../decision-policy.js';
import { decodeInto, decodeJointInto } from './encoding.js';

export interface PsoOptions {
  /** Swarm size (default 50). */
  readonly particles?: number;
  /** Iterations (default 1000). */
  readonly iterations?: number;
  /** Inertia weight, decreased linearly from `inertiaStart` to `inertiaEnd` (Shi & Eberhart: 0.9 → 0.4). */
  readonly inertiaStart?: number;
  readonly inertiaEnd?: number;
  /** Cognitive and social coefficients (default 2, 2). */
  readonly c1?: number;
  readonly c2?: number;
  /** Velocity limit as a fraction of the range M+1 (default 0.2). */
  readonly maxVelocity?: number;
  /**
   * Search f and p as well, in the paper's x = [a, f, p] (Eq. 19, decodeJointInto), instead of solving them exactly
   * for each decision. Much weaker at the same budget; kept to show why the reference uses the exact allocation.
   */
  readonly joint?: boolean;
}

/**
 * Global-best particle swarm optimisation on P0 (seed 004 §V: the "optimal reward" of NRR and a Table V row), with
 * the decision encoding of encoding.ts and the exact allocation inside each fitness evaluation. Random initial
 * positions and velocities, linearly decreasing inertia, velocity clamping, positions clamped into [0, M+1).
 */
export function pso(model: MecCostModel, rng: Rng, options: PsoOptions = {}): SearchResult {
  const P = options.particles ?? 50;
  const G = options.iterations ?? 1000;
  const w0 = options.inertiaStart ?? 0.9;
  const w1 = options.inertiaEnd ?? 0.4;
  const c1 = options.c1 ?? 2;
  const c2 = options.c2 ?? 2;
  if (!(Number.isInteger(P) && P >= 1 && Number.isInteger(G) && G >= 0)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `pso needs integer particles >= 1 and iterations >= 0, got ${P}, ${G}`,
    );
  }
  const joint = options.joint === true;
  const devices = model.devices;
  const n = joint ? 3 * devices : devices;
  const hi = model.mecs + 1;
  const top = hi - 1e-9;
  const vMax = (options.maxVelocity ?? 0.2) * hi;
  const x = new Float64Array(P * n);
  const v = new Float64Array(P * n);
  const pBest = new Float64Array(P * n);
  const pBestPhi = new Float64Array(P);
  const gBest = new Float64Array(n);
  let gBestPhi = Number.POSITIVE_INFINITY;
  const decision = new Int32Array(devices);
  const alloc = { cpuHz: new Float64Array(devices), powerW: new Float64Array(devices) };
  for (let k = 0; k < P * n; k++) {
    x[k] = rng.uniform(0, hi);
    v[k] = rng.uniform(-vMax, vMax);
  }
  let evaluations = 0;
  const score = (p: number) => {
    evaluations++;
    if (!joint) return model.evaluate(decodeInto(decision, x, p * n, model));
    decodeJointInto(decision, alloc, x, p * n, model);
    return model.evaluateAllocation(decision, alloc);
  };
  for (let p = 0; p < P; p++) {
    const phi = score(p);
    pBestPhi[p] = phi;
    pBest.set(x.subarray(p * n, (p + 1) * n), p * n);
    if (phi < gBestPhi) {
      gBestPhi = phi;
      gBest.set(x.subarray(p * n, (p + 1) * n));
    }
  }
  for (let it = 0; it < G; it++) {
    const w = G > 1 ? w0 + ((w1 - w0) * it) / (G - 1) : w1;
    for (let p = 0; p < P; p++) {
      const o = p * n;
      for (let i = 0; i < n; i++) {
        const k = o + i;
        let vel =
          w * (v[k] as number) +
          c1 * fastUniform(rng) * ((pBest[k] as number) - (x[k] as number)) +
          c2 * fastUniform(rng) * ((gBest[i] as number) - (x[k] as number));
        if (vel > vMax) vel = vMax;
        else if (vel < -vMax) vel = -vMax;
        v[k] = vel;
        let pos = (x[k] as number) + vel;
        if (pos < 0) pos = 0;
        else if (pos > top) pos = top;
        x[k] = pos;
      }
      const phi = score(p);
      if (phi < (pBestPhi[p] as number)) {
        pBestPhi[p] = phi;
        pBest.set(x.subarray(o, o + n), o);
        if (phi < gBestPhi) {
          gBestPhi = phi;
          gBest.set(x.subarray(o, o + n));
        }
      }
    }
  }
  const best = new Int32Array(devices);
  if (!joint) {
    decodeInto(best, gBest, 0, model);
    return { decision: best, phi: model.evaluate(best), evaluations };
  }
  decodeJointInto(best, alloc, gBest, 0, model);
  return { decision: best, phi: model.evaluateAllocation(best, alloc), allocation: alloc, evaluations };
}

export function psoPolicy(options: PsoOptions = {}): DecisionPolicy {
  return { name: 'pso', decide: (model, rng) => pso(model, rng, options).decision };
}
