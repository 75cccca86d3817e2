import { type Rng, TwinforgeError } from '@twinforge/core';
import { fastUniform, type MecCostModel } from '@twinforge/plugin-env-mec';
import type { DecisionPolicy, SearchResult } from '../decision-policy.js';
import { decodeInto } from './encoding.js';

export interface DeOptions {
  /** Population size (default 50). */
  readonly population?: number;
  /** Generations (default 1000). */
  readonly generations?: number;
  /** Differential weight F (default 0.5). */
  readonly f?: number;
  /** Crossover rate CR (default 0.9). */
  readonly cr?: number;
}

/**
 * Differential evolution DE/rand/1/bin (Storn & Price) on P0, the Table V "DE" row: same encoding and exact inner
 * allocation as PSO; mutants leaving [0, M+1) are reflected back in; greedy one-to-one selection.
 */
export function differentialEvolution(model: MecCostModel, rng: Rng, options: DeOptions = {}): SearchResult {
  const P = options.population ?? 50;
  const G = options.generations ?? 1000;
  const F = options.f ?? 0.5;
  const CR = options.cr ?? 0.9;
  if (!(Number.isInteger(P) && P >= 4 && Number.isInteger(G) && G >= 0)) {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `DE needs integer population >= 4 and generations >= 0, got ${P}, ${G}`,
    );
  }
  const n = model.devices;
  const hi = model.mecs + 1;
  const top = hi - 1e-9;
  const pop = new Float64Array(P * n);
  const fit = new Float64Array(P);
  const trial = new Float64Array(n);
  const decision = new Int32Array(n);
  for (let k = 0; k < P * n; k++) pop[k] = rng.uniform(0, hi);
  let evaluations = 0;
  for (let p = 0; p < P; p++) {
    fit[p] = model.evaluate(decodeInto(decision, pop, p * n, model));
    evaluations++;
  }
  for (let g = 0; g < G; g++) {
    for (let p = 0; p < P; p++) {
      let r1 = rng.int(0, P - 2);
      if (r1 >= p) r1++;
      let r2 = r1;
      while (r2 === r1 || r2 === p) r2 = rng.int(0, P - 1);
      let r3 = r1;
      while (r3 === r1 || r3 === r2 || r3 === p) r3 = rng.int(0, P - 1);
      const jRand = rng.int(0, n - 1);
      for (let i = 0; i < n; i++) {
        if (i === jRand || fastUniform(rng) < CR) {
          let y = (pop[r1 * n + i] as number) + F * ((pop[r2 * n + i] as number) - (pop[r3 * n + i] as number));
          if (y < 0) y = -y;
          if (y > top) y = Math.max(0, 2 * top - y);
          trial[i] = Math.min(y, top);
        } else trial[i] = pop[p * n + i] as number;
      }
      const phi = model.evaluate(decodeInto(decision, trial, 0, model));
      evaluations++;
      if (phi <= (fit[p] as number)) {
        fit[p] = phi;
        pop.set(trial, p * n);
      }
    }
  }
  let best = 0;
  for (let p = 1; p < P; p++) if ((fit[p] as number) < (fit[best] as number)) best = p;
  const out = decodeInto(new Int32Array(n), pop, best * n, model);
  return { decision: out, phi: model.evaluate(out), evaluations };
}

export function dePolicy(options: DeOptions = {}): DecisionPolicy {
  return { name: 'de', decide: (model, rng) => differentialEvolution(model, rng, options).decision };
}
