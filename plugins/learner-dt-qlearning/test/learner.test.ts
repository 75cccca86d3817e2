import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHost,
  createRng,
  isTwinforgeError,
  silentLogger,
  ToyChannelEnv,
  toyChannelConfigSchema,
} from '@twinforge/core';
import envIov, { IovEnv, iovConfigSchema } from '@twinforge/plugin-env-iov';
import { createTwin } from '@twinforge/twin';
import { describe, expect, it } from 'vitest';
import plugin, { DtQLearner, QTable, TabularStates, TrialRunner } from '../src/index.js';
import { ChainEnv } from './chain-env.js';
import { episodeReturns, trainContext } from './helpers.js';

const iovBins = [40, 3, 1, 1, 1, 1, 1];

describe('DtQLearner', () => {
  it('n = 1 is physical Q-learning: no twin, one update per step, converging to Q* on a chain', async () => {
    const env = new ChainEnv(4);
    const learner = new DtQLearner(
      { trials: 1, alpha: 0.5, gamma: 0.9, epsilon: { start: 1, end: 0.3, decay: 0.99 } },
      createRng(3),
    );
    await episodeReturns(learner.train(trainContext(env, 400)));
    expect(learner.stats.twinSteps).toBe(0);
    const q = learner.qTable as QTable;
    // Q*(p, right) = 1 + 0.9·V*(p + 1) with V*(4) = 0: 1, 1.9, 2.71, 3.439 from p = 3 down to 0.
    expect(q.get(3, 1)).toBeCloseTo(1, 6);
    expect(q.get(2, 1)).toBeCloseTo(1.9, 4);
    expect(q.get(0, 1)).toBeCloseTo(3.439, 2);
    expect(q.get(0, 0)).toBeCloseTo(0.9 * 3.439, 2);
  });

  it('n trials per state: every physical step learns n actions, the extra ones from forks', async () => {
    const env = new IovEnv(iovConfigSchema.parse({}), createRng(1));
    const learner = new DtQLearner({ trials: 5, bins: iovBins }, createRng(2));
    await episodeReturns(learner.train(trainContext(env, 3)));
    expect(learner.stats.physicalSteps).toBe(30);
    expect(learner.stats.twinSteps).toBe(30 * 4);
    // Each visited state had all five actions updated away from qInit.
    const q = learner.qTable as QTable;
    let touched = 0;
    let full = 0;
    for (let s = 0; s < q.states; s++) {
      let updated = 0;
      for (let a = 0; a < q.actions; a++) if (q.get(s, a) !== 0) updated++;
      if (updated > 0) touched++;
      if (updated === 5) full++;
    }
    expect(touched).toBeGreaterThan(0);
    expect(full).toBe(touched);
  });

  it('k-step targets: the action, then greedy steps in its domain, then the bootstrapped tail', () => {
    const env = new ChainEnv(10);
    env.reset({ seed: 1 });
    const q = new QTable(11, 2, 0);
    for (let s = 0; s < 11; s++) q.update(s, 1, 2, 1); // greedy = right everywhere, max Q = 2
    const config = new DtQLearner({ trials: 2, predictionSteps: 3, alpha: 1, gamma: 0.5 }, createRng(1)).config;
    const runner = new TrialRunner({
      config,
      q,
      states: new TabularStates(env.observationSpace, 1),
      rng: createRng(4),
      createTwin: (initial) => createTwin({ model: env.twinModel, initial, rng: createRng(11) }),
    });
    runner.sync(env.twinSnapshot(), true);
    runner.trials(1); // the physical agent took 'right': the trial is 'stay'
    runner.applyTrials(0);
    // stay (r = 0), right (r = 1), right (r = 1), then γ³·max Q = 0.125·2.
    expect(q.get(0, 0)).toBeCloseTo(0 + 0.5 * 1 + 0.25 * 1 + 0.125 * 2, 12);
    expect(runner.twinSteps).toBe(3);
    // The physical next state's value is predicted k − 1 = 2 steps ahead: 1 + 0.5·1 + 0.25·2.
    env.step(1);
    expect(runner.valueAfter(env.twinSnapshot(), 1)).toBeCloseTo(1 + 0.5 + 0.25 * 2, 12);
    runner.dispose();
  });

  it('DT-enhanced QL beats physical QL early on the IoV case (same seeds)', async () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const run = async (trials: number) => {
      const env = new IovEnv(iovConfigSchema.parse({}), createRng(7));
      const learner = new DtQLearner({ trials, bins: iovBins }, createRng(8));
      const returns = await episodeReturns(learner.train(trainContext(env, 400, 9)));
      return mean(returns.slice(-150));
    };
    const physical = await run(1);
    const twin5 = await run(5);
    expect(twin5).toBeGreaterThan(physical + 3);
  });

  it('rejects configs that cannot work, naming the field', async () => {
    const iov = new IovEnv(iovConfigSchema.parse({}), createRng(1));
    const tooMany = new DtQLearner({ trials: 6, bins: iovBins }, createRng(1));
    await expect(episodeReturns(tooMany.train(trainContext(iov, 1)))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { fields: ['trials'] },
    });
    const toy = new ToyChannelEnv(toyChannelConfigSchema.parse({}), createRng(1));
    const noTwin = new DtQLearner({ trials: 2, bins: 4 }, createRng(1));
    const error = await episodeReturns(noTwin.train(trainContext(toy, 1))).catch((e: unknown) => e);
    expect(isTwinforgeError(error, 'CONFIG_INVALID')).toBe(true);
    expect(String(error)).toContain('TwinSource');
    expect(() => new DtQLearner({ alpha: 0 }, createRng(1))).toThrow(/alpha/);
  });

  it('saves and loads the Q-table; the greedy policy is unchanged', async () => {
    const env = new IovEnv(iovConfigSchema.parse({}), createRng(1));
    const learner = new DtQLearner({ trials: 3, bins: iovBins }, createRng(2));
    await episodeReturns(learner.train(trainContext(env, 20)));
    const dir = await mkdtemp(join(tmpdir(), 'dtq-'));
    try {
      await learner.save(dir);
      const copy = new DtQLearner({ trials: 3, bins: iovBins }, createRng(5));
      await copy.load(dir);
      copy.bindTo(env);
      const obs = env.reset({ seed: 3 }).observation;
      expect(copy.policy().act(obs, { explore: false })).toBe(learner.policy().act(obs, { explore: false }));
      expect(Array.from(copy.qTable?.values ?? [])).toEqual(Array.from(learner.qTable?.values ?? []));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the plugin in a pipeline', () => {
  it('trains dt-qlearning on iov through the host', async () => {
    const host = await createHost({ plugins: [envIov, plugin], logger: silentLogger });
    const run = host
      .pipeline()
      .environment('iov', {})
      .learner('dt-qlearning', { trials: 3, bins: iovBins, predictionSteps: 2 })
      .run({ seed: 2, episodes: 20 });
    const result = await run.done;
    expect(result.status).toBe('completed');
    expect(result.returns).toHaveLength(20);
    expect(result.steps).toBe(200);
    await host.dispose();
  });
});
