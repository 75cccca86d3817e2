import { createRng, silentLogger } from '@twinforge/core';
import { evaluatePolicy, makeCartPole, trainLoop } from '@twinforge/rl';
import { initTensorBackend } from '@twinforge/tensor';
import { lastValueFrom } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DqnAgent } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
});

describe('DQN learns CartPole (through rl trainLoop)', () => {
  it('lifts the greedy return far above a random policy within 3000 steps', async () => {
    // A small, fast configuration (1250 gradient steps); the rl-zoo defaults are exercised by
    // `npm run reproduce:classic-control`. A uniformly random policy scores about 22 on CartPole.
    const agent = new DqnAgent(
      {
        obsDim: 4,
        nActions: 2,
        config: {
          hiddenSizes: [64, 64],
          lr: 2e-3,
          learningStarts: 500,
          trainFreq: 2,
          gradientSteps: 1,
          targetUpdateInterval: 100,
          explorationSteps: 1500,
          explorationFinal: 0.05,
        },
      },
      createRng(2),
    );
    await lastValueFrom(trainLoop({ env: makeCartPole(), agent: agent.asLoopAgent(), totalSteps: 3000, seed: 2 }));
    expect(agent.updates).toBe(1250);
    const random = evaluatePolicy(makeCartPole(), { act: (_o, rng) => rng.int(0, 1) }, { episodes: 10, seed: 99 });
    const learned = evaluatePolicy(makeCartPole(), agent.greedyPolicy(), { episodes: 10, seed: 99 });
    expect(random.meanReturn).toBeLessThan(40);
    expect(learned.meanReturn).toBeGreaterThan(100);
    agent.dispose();
  });
});
