import { type CoreParallelEnv, createRng, TwinforgeError } from '@twinforge/core';
import { deepEqual } from './deep-equal.js';

export interface ParallelApiTestOptions {
  /** Seed for the determinism check and the sampled actions (default 0). */
  seed?: number;
  /** Maximum number of steps per rollout (default 20). */
  numCycles?: number;
}

interface Trace {
  steps: unknown[];
}

/**
 * A port of PettingZoo's `parallel_api_test` (plus its seed test) as one function that multi-agent environment
 * plugins call in their tests. Throws TwinforgeError `ENV_CHECK_FAILED` naming the first problem: per-agent dicts
 * whose keys do not match the live agents, observations outside the agent's space, non-finite rewards, non-boolean
 * terminations/truncations, agents that come back after they are done or that are not in `possibleAgents`, and
 * trajectories (and `state()`) that differ between two runs with the same seed and actions.
 */
export function parallelApiTest<O, A>(env: CoreParallelEnv<O, A>, options: ParallelApiTestOptions = {}): void {
  const seed = options.seed ?? 0;
  const cycles = options.numCycles ?? 20;
  if (!Array.isArray(env.possibleAgents) || env.possibleAgents.length === 0) {
    fail('possibleAgents must be a non-empty array');
  }
  const a = rollout(env, seed, cycles);
  const b = rollout(env, seed, cycles);
  if (!deepEqual(a.steps[0], b.steps[0])) {
    fail(`reset({ seed: ${seed} }) is not deterministic: two resets with the same seed gave different observations`);
  }
  const n = Math.min(a.steps.length, b.steps.length);
  for (let i = 1; i < n; i++) {
    if (!deepEqual(a.steps[i], b.steps[i])) {
      fail(`step ${i} is not deterministic under seed ${seed}: results differ between two identical rollouts`);
    }
  }
  if (a.steps.length !== b.steps.length) fail(`episode length is not deterministic under seed ${seed}`);
}

function rollout<O, A>(env: CoreParallelEnv<O, A>, seed: number, cycles: number): Trace {
  const possible = new Set(env.possibleAgents);
  const reset = env.reset({ seed }) as unknown;
  if (typeof reset !== 'object' || reset === null) fail('reset() must return { observations, infos }');
  const r = reset as Record<string, unknown>;
  const agents = [...env.agents];
  for (const agent of agents) if (!possible.has(agent)) fail(`agent '${agent}' is not in possibleAgents`);
  checkKeys(r.observations, agents, 'reset() observations');
  checkKeys(r.infos, agents, 'reset() infos');
  checkObservations(env, r.observations as Record<string, unknown>, agents, 'reset()');
  const steps: unknown[] = [{ observations: r.observations, state: env.state?.() }];
  const rng = createRng(seed).split('parallelApiTest/actions');
  const done = new Set<string>();
  for (let i = 1; i <= cycles && env.agents.length > 0; i++) {
    const live = [...env.agents];
    for (const agent of live) {
      if (done.has(agent)) fail(`agent '${agent}' is live again after it was done (step ${i})`);
      if (!possible.has(agent)) fail(`agent '${agent}' is not in possibleAgents (step ${i})`);
    }
    const actions: Record<string, A> = {};
    for (const agent of live) actions[agent] = env.actionSpace(agent).sample(rng);
    const res = env.step(actions) as unknown;
    if (typeof res !== 'object' || res === null) fail(`step() must return an object (step ${i})`);
    const s = res as Record<string, unknown>;
    for (const key of ['observations', 'rewards', 'terminations', 'truncations', 'infos']) {
      checkKeys(s[key], live, `step() ${key} (step ${i})`);
    }
    checkObservations(env, s.observations as Record<string, unknown>, live, `step() (step ${i})`);
    for (const agent of live) {
      const reward = (s.rewards as Record<string, unknown>)[agent];
      if (typeof reward !== 'number' || !Number.isFinite(reward)) {
        fail(`step() returned a non-finite reward ${String(reward)} for agent '${agent}' (step ${i})`);
      }
      for (const key of ['terminations', 'truncations']) {
        const v = (s[key] as Record<string, unknown>)[agent];
        if (typeof v !== 'boolean') fail(`step() ${key}['${agent}'] must be a boolean, got ${typeof v}`);
      }
      const ended =
        (s.terminations as Record<string, boolean>)[agent] || (s.truncations as Record<string, boolean>)[agent];
      if (ended) {
        done.add(agent);
        if (env.agents.includes(agent)) fail(`agent '${agent}' is done but still in env.agents (step ${i})`);
      }
    }
    steps.push({
      observations: s.observations,
      rewards: s.rewards,
      terminations: s.terminations,
      truncations: s.truncations,
      state: env.state?.(),
    });
  }
  return { steps };
}

function checkKeys(dict: unknown, agents: readonly string[], what: string): void {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) fail(`${what} must be an object per agent`);
  const keys = Object.keys(dict).sort();
  const expected = [...agents].sort();
  if (!deepEqual(keys, expected)) {
    fail(`${what} has keys [${keys.join(', ')}], expected the live agents [${expected.join(', ')}]`);
  }
}

function checkObservations<O, A>(
  env: CoreParallelEnv<O, A>,
  observations: Record<string, unknown>,
  agents: readonly string[],
  where: string,
): void {
  for (const agent of agents) {
    if (!env.observationSpace(agent).contains(observations[agent])) {
      const v = observations[agent];
      const got = ArrayBuffer.isView(v)
        ? `${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`
        : typeof v;
      fail(
        `${where} observation of agent '${agent}' is not in its observationSpace: got ${got}; space is ` +
          JSON.stringify(env.observationSpace(agent).toJSON()),
      );
    }
  }
}

function fail(message: string): never {
  throw new TwinforgeError('ENV_CHECK_FAILED', `parallelApiTest: ${message}`);
}
