import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, createRng, silentLogger } from '@twinforge/core';
import envIov, { IovEnv, iovConfigSchema } from '@twinforge/plugin-env-iov';
import { initTensorBackend, tf } from '@twinforge/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { DtDqnLearner } from '../src/index.js';
import { BanditEnv } from './bandit-env.js';
import { episodeReturns, trainContext } from './helpers.js';

const small = { hidden: [32], batchSize: 32, learningStarts: 32, lr: 5e-3, targetUpdateEvery: 50 };

function accuracy(learner: DtDqnLearner): number {
  const policy = learner.policy();
  let right = 0;
  const xs = Array.from({ length: 50 }, (_, i) => 0.01 + (0.98 * i) / 49).filter((x) => Math.abs(x - 0.5) > 0.1);
  for (const x of xs) if (policy.act(Float32Array.of(x), { explore: false }) === (x > 0.5 ? 1 : 0)) right++;
  return right / xs.length;
}

describe('DtDqnLearner', () => {
  beforeAll(async () => {
    await initTensorBackend({ logger: silentLogger });
  });

  it('n = 2 stores the tried action next to the physical one and learns the contextual bandit', async () => {
    const learner = new DtDqnLearner({ ...small, trials: 2, epsilon: { decay: 0.99 } }, createRng(1));
    await episodeReturns(learner.train(trainContext(new BanditEnv(), 400)));
    const s = learner.stats;
    expect(s.physicalSteps).toBe(400);
    expect(s.transitions).toBe(800);
    expect(s.twinSteps).toBe(400);
    // Two transitions per step: the buffer holds learningStarts = 32 after step 16, which trains, as every later one.
    expect(s.gradientSteps).toBe(400 - 15);
    expect(Number.isFinite(s.lastLoss)).toBe(true);
    expect(accuracy(learner)).toBeGreaterThan(0.9);
  });

  it('n = 1 is plain DQN: one transition per step, no twin', async () => {
    const learner = new DtDqnLearner({ ...small, trials: 1 }, createRng(1));
    await episodeReturns(learner.train(trainContext(new BanditEnv(), 60)));
    expect(learner.stats.transitions).toBe(60);
    expect(learner.stats.twinSteps).toBe(0);
  });

  it('k-step transitions on the IoV case, without leaking tensors between episodes', async () => {
    const env = new IovEnv(iovConfigSchema.parse({ tasksPerEpisode: 5 }), createRng(2));
    const learner = new DtDqnLearner({ ...small, trials: 3, predictionSteps: 2 }, createRng(3));
    await episodeReturns(learner.train(trainContext(env, 8)));
    const before = tf.memory().numTensors;
    await episodeReturns(learner.train(trainContext(env, 8, 2)));
    expect(tf.memory().numTensors).toBe(before);
    const s = learner.stats;
    expect(s.physicalSteps).toBe(80);
    // Per step: 2 trials, one transition each; the physical transition plus its 1-step look-ahead unless terminal.
    expect(s.transitions).toBe(80 * 3);
    // Twin steps: each trial is its action plus one greedy step, except at the last task (the action ends the
    // episode): 16 episodes x (4 x 2 x 2 + 2); plus a 1-step look-ahead after each of the 64 non-final steps.
    expect(s.twinSteps).toBe(16 * (4 * 2 * 2 + 2) + 64);
  });

  it('saves and loads the networks; the greedy policy is unchanged', async () => {
    const learner = new DtDqnLearner({ ...small, trials: 2 }, createRng(4));
    await episodeReturns(learner.train(trainContext(new BanditEnv(), 80)));
    const dir = await mkdtemp(join(tmpdir(), 'dtdqn-'));
    try {
      await learner.save(dir);
      const copy = new DtDqnLearner({ ...small, trials: 2 }, createRng(9));
      await copy.load(dir);
      for (const x of [0.05, 0.3, 0.7, 0.95]) {
        const obs = Float32Array.of(x);
        expect(copy.policy().act(obs, { explore: false })).toBe(learner.policy().act(obs, { explore: false }));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs as dt-dqn in a pipeline', async () => {
    const host = await createHost({ plugins: [envIov, plugin], logger: silentLogger });
    const result = await host
      .pipeline()
      .environment('iov', { tasksPerEpisode: 4 })
      .learner('dt-dqn', { ...small, trials: 2 })
      .run({ seed: 1, episodes: 5 }).done;
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(20);
    await host.dispose();
  });
});
