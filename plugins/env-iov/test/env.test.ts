import { createHost, createRng, isTwinforgeError, type Scenario, silentLogger } from '@twinforge/core';
import { checkEnv } from '@twinforge/rl';
import { createTwin, pathLossCalibration, type TelemetrySample } from '@twinforge/twin';
import { describe, expect, it } from 'vitest';
import plugin, { IovEnv, iovConfigSchema, OBS_FIRST_AP } from '../src/index.js';

const makeEnv = (input: object = {}, seed = 1) => new IovEnv(iovConfigSchema.parse(input), createRng(seed));

const scenario = (events: Scenario['events']): Scenario => ({
  id: 's',
  seed: 0,
  params: {},
  events,
  provenance: { generator: 'test' },
});

describe('IovEnv', () => {
  it("passes rl's checkEnv (default layout and a custom one)", () => {
    checkEnv(makeEnv(), { seed: 3, steps: 12 });
    checkEnv(
      makeEnv({
        roadLength_m: 400,
        tasksPerEpisode: 4,
        accessPoints: [
          { x_m: 100, y_m: 5, coverageRadius_m: 80, bandwidth_Hz: 20e6, txPower_dBm: 23, cost: 1 },
          { x_m: 300, y_m: 200, coverageRadius_m: 500, bandwidth_Hz: 5e6, txPower_dBm: 43, cost: 2 },
        ],
      }),
    );
  });

  it('one step per task, the vehicle moves on at constant speed, the episode ends after the last task', () => {
    const env = makeEnv({ tasksPerEpisode: 5 });
    let { observation, info } = env.reset({ seed: 9 });
    let previousX = -1;
    let previousT = -1;
    for (let i = 0; i < 5; i++) {
      expect(observation[0]).toBeGreaterThan(previousX);
      expect(observation[0]).toBeGreaterThanOrEqual(i / 5 - 1e-6);
      expect(observation[0]).toBeLessThanOrEqual((i + 1) / 5 + 1e-6);
      expect(info.time_s as number).toBeGreaterThan(previousT);
      // x = v·t: the twin snapshot keeps the exact state behind the float32 observation.
      const s = env.twinSnapshot();
      expect(s.entities.devices?.columns.x?.[0]).toBeCloseTo(20 * s.time, 9);
      previousX = observation[0] as number;
      previousT = info.time_s as number;
      const r = env.step(0);
      expect(r.terminated).toBe(i === 4);
      observation = r.observation;
      info = r.info;
    }
    expect(() => env.step(0)).toThrow(expect.objectContaining({ code: 'ENV_NOT_RESET' }));
  });

  it('is forkable through the twin: a fork trying action a earns exactly the physical reward of a', () => {
    const env = makeEnv();
    env.reset({ seed: 4 });
    const twin = createTwin({ model: env.twinModel, initial: env.twinSnapshot(), rng: createRng(8) });
    for (let step = 0; step < 10; step++) {
      twin.mirror(env.twinSnapshot());
      const forks = twin.fork(env.actionSpace.n);
      const predicted = forks.map((f, a) => f.step(a).reward);
      for (const f of forks) f.dispose();
      const action = step % env.actionSpace.n;
      const r = env.step(action);
      // The reward depends on the state and the action only (randomness only draws the next task).
      expect(r.reward).toBe(predicted[action]);
      if (r.terminated) break;
    }
    expect(twin.liveDomains).toBe(1);
    twin.dispose();
  });

  it('replays node-fail / node-recover and rejects other event kinds', () => {
    const env = makeEnv();
    const { observation } = env.reset({
      seed: 2,
      options: { scenario: scenario([{ kind: 'node-fail', t: 0, node: 1 }]) },
    });
    expect(Array.from(observation.subarray(OBS_FIRST_AP))).toEqual([1, 0, 1, 1, 1]);
    const r = env.step(1);
    expect(r.info.result).toBe('ap-down');
    expect(r.reward).toBe(-2);
    env.reset({
      seed: 2,
      options: {
        scenario: scenario([
          { kind: 'node-fail', t: 0, node: 0 },
          { kind: 'node-recover', t: 10, node: 0 },
        ]),
      },
    });
    let up = 0;
    for (let i = 0; i < 10; i++) up += env.step(2).observation[OBS_FIRST_AP] as number;
    expect(up).toBeGreaterThan(0);
    let code: string | undefined;
    try {
      env.reset({ seed: 1, options: { scenario: scenario([{ kind: 'jammer-off', t: 1, jammer: 0 }]) } });
    } catch (error) {
      code = isTwinforgeError(error) ? error.code : undefined;
    }
    expect(code).toBe('SCENARIO_UNSUPPORTED_EVENT');
  });

  it('rates follow the twin’s calibrated path-loss exponent', () => {
    const env = makeEnv();
    env.reset({ seed: 5 });
    const twin = createTwin({
      model: env.twinModel,
      initial: env.twinSnapshot(),
      rng: createRng(1),
      calibration: pathLossCalibration({
        measurement: { entity: 'devices', column: 'rx' },
        servingColumn: 'ap',
        minPoints: 2,
      }),
    });
    expect(twin.snapshot.params.pathLossExponent).toBe(3.2);
    // No device reports 'rx' in this env: the hook stays silent and the model keeps its parameters.
    const silent: TelemetrySample = { entity: 'devices', id: 0, column: 'x', value: 10, timestamp: 0 };
    twin.sync.ingest([silent]);
    expect(twin.snapshot.params.pathLossExponent).toBe(3.2);
    const capacity = () => env.model.profiles(twin.snapshot).map((p) => p.cumulative(p.hi));
    const before = capacity();
    twin.identical.store.update('calibration', (d) => d.setParam('pathLossExponent', 4.5));
    const after = capacity();
    // A steeper loss carries fewer bits through every AP; the physical env (its own params) is unaffected.
    for (const [a, c] of after.entries()) expect(c).toBeLessThan(before[a] as number);
    expect(env.model.profiles(env.twinSnapshot()).map((p) => p.cumulative(p.hi))).toEqual(before);
    twin.dispose();
  });
});

describe('the plugin', () => {
  it('registers the iov environment; configs are validated and errors name the field', async () => {
    const host = await createHost({ plugins: [plugin], logger: silentLogger });
    const env = host.createEnvironment('iov', { tasksPerEpisode: 3 }, host.defaultDeps('t')) as IovEnv;
    expect(env.reset({ seed: 1 }).observation).toHaveLength(7);
    let message = '';
    try {
      host.createEnvironment(
        'iov',
        { accessPoints: [{ x_m: 0, y_m: 0, coverageRadius_m: -1, bandwidth_Hz: 1e6, txPower_dBm: 20, cost: 1 }] },
        host.defaultDeps('t'),
      );
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('accessPoints[0].coverageRadius_m');
    const result = await host.pipeline().environment('iov', {}).run({ seed: 3, episodes: 4 }).done;
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(40);
    await host.dispose();
  });
});
