import { isTwinforgeError, type TwinforgeError } from '@twinforge/core';
import { checkEnv, parallelApiTest } from '@twinforge/rl';
import { describe, expect, it } from 'vitest';
import { caseStudyScenario } from '../src/case-study.js';
import { TacticalMeshCentralEnv } from '../src/central-env.js';
import { tacticalMeshConfig } from '../src/config.js';
import { STATE_JAMMER_SLOTS, stateSize } from '../src/global-state.js';
import { observationSize } from '../src/observation.js';
import { TacticalMeshEnv } from '../src/tactical-mesh-env.js';
import { scenario, uniformActions, withScenario } from './helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isTwinforgeError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('TacticalMeshEnv API', () => {
  it('passes parallelApiTest with sampled actions (defaults: 20 nodes, 5 km × 5 km)', () => {
    parallelApiTest(new TacticalMeshEnv(), { seed: 3, numCycles: 30 });
  });

  it('passes parallelApiTest through a whole episode of the case study (jammer, surge, relay failure)', () => {
    const { scenario: cs } = caseStudyScenario({}, { layoutSeed: 2 });
    parallelApiTest(withScenario(new TacticalMeshEnv(), cs), { seed: 5, numCycles: 110 });
  });

  it('passes checkEnv as one centralised agent', () => {
    checkEnv(new TacticalMeshCentralEnv({ nodes: 6, horizon: 20 }), { seed: 1, steps: 25 });
  });

  it('declares spaces whose sizes follow the config', () => {
    const env = new TacticalMeshEnv({ nodes: 7, channels: 2, maxNeighbors: 4 });
    expect(env.possibleAgents).toEqual(Array.from({ length: 7 }, (_, i) => `node_${i}`));
    expect(env.observationSpace('node_0').flatdim).toBe(observationSize(2, 4));
    expect(Array.from(env.actionSpace('node_0').nvec)).toEqual([5, 4, 2]);
    expect(env.stateSpace.flatdim).toBe(stateSize(7, 2, STATE_JAMMER_SLOTS));
    const { observations } = env.reset({ seed: 1 });
    expect(Object.keys(observations)).toHaveLength(7);
    expect(env.state()).toHaveLength(env.stateSpace.flatdim);
  });

  it('runs for `horizon` steps, then truncates every agent and empties `agents`', () => {
    const env = new TacticalMeshEnv({ nodes: 4, horizon: 3 });
    env.reset({ seed: 2 });
    let r = env.step(uniformActions(env));
    expect(Object.values(r.truncations).every((v) => v === false)).toBe(true);
    env.step(uniformActions(env));
    r = env.step(uniformActions(env));
    expect(Object.values(r.truncations).every((v) => v === true)).toBe(true);
    expect(Object.values(r.terminations).every((v) => v === false)).toBe(true);
    expect(env.agents).toHaveLength(0);
    expect(r.infos.node_0?.time_s).toBe(3);
    expect(codeOf(() => env.step({}))).toBe('ENV_NOT_RESET');
  });

  it('rejects actions outside the MultiDiscrete, naming the agent', () => {
    const env = new TacticalMeshEnv({ nodes: 3 });
    expect(codeOf(() => env.step({}))).toBe('ENV_NOT_RESET');
    env.reset({ seed: 1 });
    const actions = uniformActions(env);
    actions.node_1 = Int32Array.of(0, 9, 0);
    try {
      env.step(actions);
      expect.unreachable();
    } catch (error) {
      expect((error as TwinforgeError).code).toBe('ENV_INVALID_ACTION');
      expect((error as TwinforgeError).message).toContain('node_1');
    }
    actions.node_1 = [0, 0, 0] as unknown as Int32Array;
    expect(codeOf(() => env.step(actions))).toBe('ENV_INVALID_ACTION');
  });

  it('validates the config with errors that name the field', () => {
    const field = (input: unknown) => {
      try {
        tacticalMeshConfig(input as never);
      } catch (error) {
        expect((error as TwinforgeError).code).toBe('CONFIG_INVALID');
        return (error as TwinforgeError).message;
      }
      return '';
    };
    expect(field({ powerLevels_dBm: [30, 20] })).toContain('powerLevels_dBm[1]');
    expect(field({ gateway: { x_m: -1, y_m: 0 } })).toContain('gateway');
    expect(field({ nodes: 0 })).toContain('nodes');
    expect(field({ mobility: { minSpeed_mps: 5, maxSpeed_mps: 1 } })).toContain('mobility.maxSpeed_mps');
    expect(field({ colour: 'red' })).toContain('colour');
  });

  it('rejects unsupported or impossible scenario events instead of dropping them', () => {
    const env = new TacticalMeshEnv({ nodes: 3, channels: 2 });
    const reset = (events: unknown[]) => () => env.reset({ seed: 1, options: { scenario: scenario(events as never) } });
    expect(codeOf(reset([{ kind: 'weather', t: 1 }]))).toBe('SCENARIO_UNSUPPORTED_EVENT');
    expect(codeOf(reset([{ kind: 'node-fail', t: 1, node: 3 }]))).toBe('SCENARIO_INVALID');
    expect(
      codeOf(
        reset([{ kind: 'jammer-on', t: 1, jammer: 0, position: { x: 0, y: 0 }, radius_m: 10, power_W: 1, channel: 2 }]),
      ),
    ).toBe('SCENARIO_INVALID');
    expect(codeOf(reset([{ kind: 'link-degrade', t: 1, from: 1, to: 1, loss_dB: 3 }]))).toBe('SCENARIO_INVALID');
    expect(
      codeOf(
        reset([
          { kind: 'node-fail', t: 5, node: 0 },
          { kind: 'node-recover', t: 4, node: 0 },
        ]),
      ),
    ).toBe('SCENARIO_INVALID');
    // The gateway (index = nodes) may end a degraded link.
    expect(codeOf(reset([{ kind: 'link-degrade', t: 1, from: 0, to: 3, loss_dB: 3 }]))).toBeUndefined();
    expect(codeOf(() => env.reset({ seed: 1, options: { positions: [1, 2] } }))).toBe('INVALID_ARGUMENT');
  });

  it('reports metrics every step and a reward from them', () => {
    const env = new TacticalMeshEnv({ nodes: 8 });
    env.reset({ seed: 4 });
    for (let k = 0; k < 5; k++) {
      const r = env.step(uniformActions(env));
      const m = env.metrics;
      expect(m).toBeDefined();
      if (!m) return;
      expect(r.infos.node_0?.metrics).toBe(m);
      const expected = m.throughput_Mbps - 0.01 * m.latency_ms - m.dropped * (12_000 / 1e6);
      for (const a of env.possibleAgents) expect(r.rewards[a]).toBeCloseTo(expected, 9);
      expect(m.fairness).toBeGreaterThan(0);
      expect(m.fairness).toBeLessThanOrEqual(1);
      expect(m.pdr).toBeGreaterThanOrEqual(0);
      expect(m.pdr).toBeLessThanOrEqual(1);
    }
    expect(env.metrics?.throughput_Mbps).toBeGreaterThan(0);
  });
});
