import { createHost, isTwinforgeError, MemorySink, type Scenario } from '@twinforge/core';
import { parallelApiTest } from '@twinforge/rl';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import envMecPlugin, { decisionToScores, MecEnv, type MecStepInfo } from '../src/index.js';

const small = { scenario: '2x30', horizon: 5 } as const;

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isTwinforgeError(error) ? error.code : error).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('MecEnv (parallel, one agent per MEC)', () => {
  it.each(['optimal', 'equal', 'policy'] as const)('passes parallelApiTest with %s allocation', (allocation) => {
    parallelApiTest(new MecEnv({ ...small, allocation }), { seed: 3, numCycles: 8 });
    parallelApiTest(new MecEnv({ scenario: '8x180', horizon: 3, allocation }), { seed: 4 });
  });

  it('gives each agent only its own gains and the global reward 1/Φ', () => {
    const env = new MecEnv(small);
    const { observations } = env.reset({ seed: 1 });
    const gain = env.model.instance.gain;
    expect(Array.from(observations.mec_1 as Float32Array)).toEqual(
      Array.from({ length: 30 }, (_, i) => Math.fround(gain[i * 2 + 1] as number)),
    );
    const decision = env.system.layout.nearestMec;
    const phi = env.model.evaluate(decision);
    const [a0, a1] = decisionToScores(decision, 2);
    const res = env.step({ mec_0: a0 as Float32Array, mec_1: a1 as Float32Array });
    expect(res.rewards.mec_0).toBeCloseTo(1 / phi, 12);
    expect(res.rewards.mec_1).toBe(res.rewards.mec_0);
    const info = res.infos.mec_0 as MecStepInfo;
    expect(Array.from(info.decision)).toEqual(Array.from(decision));
    expect(info.time + info.energy).toBeCloseTo(phi, 8); // φT = φE = 1
  });

  it('redraws the channel every slot, same seed same draws, and truncates at the horizon', () => {
    const env = new MecEnv(small);
    const zero = { mec_0: new Float32Array(30), mec_1: new Float32Array(30) };
    const first = env.reset({ seed: 7 }).observations.mec_0 as Float32Array;
    const next = env.step(zero).observations.mec_0 as Float32Array;
    expect(Array.from(next)).not.toEqual(Array.from(first));
    const again = env.reset({ seed: 7 }).observations.mec_0 as Float32Array;
    expect(Array.from(again)).toEqual(Array.from(first));
    for (let t = 1; t <= 5; t++) expect(env.step(zero).truncations.mec_0).toBe(t === 5);
    expect(env.agents).toEqual([]);
    expectCode(() => env.step(zero), 'ENV_NOT_RESET');
  });

  it('all-local actions (scores below 0.5) cost exactly N·(φT·F/f0 + φE·κ·f0²·F)', () => {
    const env = new MecEnv({ ...small, taskType: 'time-sensitive' });
    env.reset({ seed: 2 });
    const below = new Float32Array(30).fill(0.49);
    const info = env.step({ mec_0: below, mec_1: below }).infos.mec_0 as MecStepInfo;
    expect(info.offloaded).toBe(0);
    expect(info.phi).toBeCloseTo(30 * (1.5 * 1 + 0.5 * 1), 10);
  });

  it('rejects actions outside the action space', () => {
    const env = new MecEnv(small);
    env.reset({ seed: 1 });
    const ok = new Float32Array(30);
    const bad: unknown[] = [
      new Float32Array(29),
      Float32Array.of(...new Array(29).fill(0), 1.5),
      Float32Array.of(...new Array(29).fill(0), Number.NaN),
      Float32Array.of(...new Array(29).fill(0), -0.1),
      new Float64Array(30),
      Array.from({ length: 30 }, () => 0),
      undefined,
    ];
    for (const a of bad) expectCode(() => env.step({ mec_0: ok, mec_1: a as Float32Array }), 'ENV_INVALID_ACTION');
    expectCode(() => env.step({ mec_0: ok, mec_1: ok, mec_9: ok }), 'ENV_INVALID_ACTION');
    // a rejected action does not advance the slot
    expect(env.slot).toBe(0);
  });

  it('property: any action in the space executes within the constraints (Eqs. 5-7), in every allocation mode', () => {
    const envs = (['optimal', 'equal', 'policy'] as const).map(
      (allocation) => new MecEnv({ scenario: '2x30', devices: 12, mecs: 3, horizon: 1_000_000, allocation }),
    );
    for (const env of envs) env.reset({ seed: 0 });
    // scores mixing exact 0, 0.5, 1 and arbitrary values; tiny weights and powers stress the repairs
    const value = fc.oneof(fc.constantFrom(0, 0.5, 1, 1e-30), fc.float({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.array(value, { minLength: 3 * 36, maxLength: 3 * 36 }), (k, v) => {
        const env = envs[k] as MecEnv;
        const width = env.actionSpace('mec_0').flatdim;
        const actions: Record<string, Float32Array> = {};
        env.agents.forEach((agent, j) => {
          actions[agent] = Float32Array.from(v.slice(j * 36, j * 36 + width));
        });
        const model = env.model;
        const res = env.step(actions); // throws ENV_CHECK_FAILED on any violation
        const info = res.infos.mec_0 as MecStepInfo;
        for (const a of info.decision) expect(a >= 0 && a <= 3 && Number.isInteger(a)).toBe(true);
        expect(Number.isFinite(info.phi)).toBe(true);
        expect(res.rewards.mec_0).toBeGreaterThan(0);
        // the optimal mode can only be better than the others on the same decision
        expect(info.phi).toBeGreaterThanOrEqual(model.evaluate(info.decision) * (1 - 1e-12));
      }),
      { numRuns: 300 },
    );
  });

  it('node-fail takes a MEC down: nobody offloads to it until node-recover', () => {
    const env = new MecEnv(small);
    const scenario: Scenario = {
      id: 'fail',
      seed: 0,
      params: {},
      events: [
        { kind: 'node-fail', t: 1, node: 0 },
        { kind: 'node-recover', t: 3, node: 0 },
      ],
      provenance: { generator: 'test' },
    };
    env.reset({ seed: 1, options: { scenario } });
    const all0 = { mec_0: new Float32Array(30).fill(1), mec_1: new Float32Array(30) };
    const offloaded = [0, 1, 2, 3].map((): number => (env.step(all0).infos.mec_0 as MecStepInfo).offloaded);
    expect(offloaded).toEqual([30, 0, 0, 30]);
    const jam: Scenario = { ...scenario, events: [{ kind: 'link-degrade', t: 0, from: 0, to: 1, loss_dB: 3 }] };
    expectCode(() => env.reset({ options: { scenario: jam } }), 'SCENARIO_UNSUPPORTED_EVENT');
  });

  it('validates its config and names the field', () => {
    expectCode(() => new MecEnv({ horizon: 0 }), 'CONFIG_INVALID');
    expect(() => new MecEnv({ localCpuHz: 2e9 })).toThrow(/localCpuHz/);
    expect(() => new MecEnv({ scenario: '2x30', mecPositions: [[1, 1]] })).toThrow(/mecPositions/);
  });

  it('runs in a pipeline from the plugin', async () => {
    const host = await createHost({ plugins: [envMecPlugin] });
    try {
      const sink = new MemorySink();
      const result = await host
        .pipeline()
        .environment('mec', { scenario: '2x30', horizon: 4 })
        .dataset(sink)
        .run({ seed: 1, episodes: 2 }).done;
      expect(result.status).toBe('completed');
      expect(sink.records.length).toBe(2 * 2 * 5); // episodes × agents × (T + 1)
    } finally {
      await host.dispose();
    }
  });
});
