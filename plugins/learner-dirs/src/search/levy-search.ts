import { type Rng, TwinforgeError } from '@twinforge/core';
import { LevySteps, type MecCostModel } from '@twinforge/plugin-env-mec';
import type { SearchResult } from '../decision-policy.js';

export interface LevySearchOptions {
  /** Lévy index β of the Mantegna steps (paper: 1.5 online; a smaller β for demonstrations). */
  readonly beta?: number;
  /** Crossover threshold th of Eq. 22 (paper: 0.4). */
  readonly threshold?: number;
  /** Population size P (paper: 5). */
  readonly population?: number;
  /** Iterations G_max (paper: 10). */
  readonly iterations?: number;
}

/** The paper's online settings (§V-A): P = 5, G_max = 10, β = 1.5, th = 0.4. */
export const LEVY_ONLINE: Required<LevySearchOptions> = Object.freeze({
  beta: 1.5,
  threshold: 0.4,
  population: 5,
  iterations: 10,
});

/**
 * The Lévy flight search of DIRS (seed 004 §IV-D, Algorithm 4), which refines an offloading decision:
 *  - every member of a population of P starts from the initial decision (the ensemble's a^e, Algorithm 4 line 1);
 *  - h mutation (Eq. 20): device i is reassigned to a uniformly random option of {0..M} when γ·d_i exceeds the
 *    stability of its current choice, its normalised gain h_{i,a_i}/Σ_j h_ij, so devices on strong links move rarely;
 *  - Lévy crossover (Eq. 22): the candidate takes the mutant's value for device i when γ·d'_i > th, else the target's;
 *  - greedy selection (Eq. 23): the candidate replaces its target if its Φ is lower;
 *  - γ = 2 − 2G/G_max (Eq. 21) decreases over the iterations, so late iterations change few devices;
 * with d_i, d'_i independent Mantegna steps of index β (signed, as the equations compare γ·d with a positive level).
 *
 * Readings where the paper is silent: a locally executing device has no link, so its stability is the mean
 * normalised gain 1/M; γ is evaluated at G − 1 for iteration G = 1..G_max (from 2 down to 2/G_max, so the last
 * iteration still moves); the continuous part (f, p) of the solution vector (Eq. 19) is not searched with Eq. 18 —
 * every candidate is evaluated with the exact Eq. 13 allocation, which no searched (f, p) can beat.
 */
export function levyFlightSearch(
  model: MecCostModel,
  initial: ArrayLike<number>,
  rng: Rng,
  options: LevySearchOptions = {},
): SearchResult {
  const o = { ...LEVY_ONLINE, ...options };
  const P = o.population;
  const G = o.iterations;
  if (!(Number.isInteger(P) && P >= 1 && Number.isInteger(G) && G >= 0)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `Lévy search needs integer population >= 1 and iterations >= 0`);
  }
  model.checkDecision(initial);
  const { devices: n, mecs: m } = model;
  const steps = new LevySteps(o.beta);
  const gain = model.instance.gain;
  // stability[i·(M+1) + a]: normalised gain of option a for device i (a = 0: 1/M)
  const stability = new Float64Array(n * (m + 1));
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += gain[i * m + j] as number;
    stability[i * (m + 1)] = 1 / m;
    for (let j = 1; j <= m; j++) stability[i * (m + 1) + j] = sum > 0 ? (gain[i * m + j - 1] as number) / sum : 0;
  }
  const pop = new Int32Array(P * n);
  const fit = new Float64Array(P);
  const start = Int32Array.from(initial);
  for (let i = 0; i < n; i++) if ((start[i] as number) > 0 && !model.usable(i, start[i] as number)) start[i] = 0;
  const startPhi = model.evaluate(start);
  for (let p = 0; p < P; p++) {
    pop.set(start, p * n);
    fit[p] = startPhi;
  }
  let evaluations = 1;
  const candidate = new Int32Array(n);
  for (let g = 1; g <= G; g++) {
    const gamma = 2 - (2 * (g - 1)) / G;
    for (let p = 0; p < P; p++) {
      const base = p * n;
      let changed = false;
      for (let i = 0; i < n; i++) {
        const a = pop[base + i] as number;
        // h mutation (Eq. 20) then Lévy crossover (Eq. 22): both must fire for device i to take the mutant value
        let mutant = a;
        if (gamma * steps.next(rng) > (stability[i * (m + 1) + a] as number)) {
          mutant = rng.int(0, m);
          if (mutant > 0 && !model.usable(i, mutant)) mutant = 0;
        }
        const value = gamma * steps.next(rng) > o.threshold ? mutant : a;
        candidate[i] = value;
        if (value !== a) changed = true;
      }
      if (!changed) continue;
      const phi = model.evaluate(candidate);
      evaluations++;
      if (phi < (fit[p] as number)) {
        fit[p] = phi;
        pop.set(candidate, base);
      }
    }
  }
  let best = 0;
  for (let p = 1; p < P; p++) if ((fit[p] as number) < (fit[best] as number)) best = p;
  const decision = pop.slice(best * n, (best + 1) * n);
  return { decision, phi: fit[best] as number, evaluations };
}
