import type { CoreEnv, StepResult } from '@twinforge/core';
import { createRng, silentLogger } from '@twinforge/core';
import { Box, evaluatePolicy, trainLoop } from '@twinforge/rl';
import { initTensorBackend } from '@twinforge/tensor';
import { lastValueFrom } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Td3Agent } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
});

/**
 * A one-step continuous bandit with a context: s ~ U(-1, 1)², the best action is a*(s) = 1.5·s0 − s1·|s1| in
 * [-2.5, 2.5] (clipped to the action box [-2, 2]), reward −(a − a*)². Small enough to train in seconds, yet the actor
 * only finds a* through the critic's action gradient, so broken targets, a frozen actor or a wrong sign all fail.
 */
class ContextBandit implements CoreEnv<Float32Array, Float32Array> {
  readonly observationSpace = new Box(-1, 1, { shape: [2] });
  readonly actionSpace = new Box(-2, 2, { shape: [1] });
  #rng = createRng(0);
  #obs = new Float32Array(2);
  reset(options: { seed?: number } = {}) {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    this.#obs = this.#rng.fillUniform(new Float32Array(2), -1, 1);
    return { observation: this.#obs, info: {} };
  }
  static best(s: Float32Array): number {
    const s0 = s[0] as number;
    const s1 = s[1] as number;
    return Math.min(2, Math.max(-2, 1.5 * s0 - s1 * Math.abs(s1)));
  }
  step(action: Float32Array): StepResult<Float32Array> {
    const reward = -(((action[0] as number) - ContextBandit.best(this.#obs)) ** 2);
    return { observation: this.#obs, reward, terminated: true, truncated: false, info: {} };
  }
}

describe('TD3 learns (through rl trainLoop)', () => {
  it('finds the best action of a contextual bandit from the critic alone', async () => {
    const agent = new Td3Agent(
      {
        obsDim: 2,
        low: [-2],
        high: [2],
        config: { hiddenSizes: [32, 32], batchSize: 64, learningStarts: 200, actorLr: 3e-3, criticLr: 3e-3 },
      },
      createRng(3),
    );
    const random = evaluatePolicy(
      new ContextBandit(),
      { act: (_o, rng) => new Float32Array([rng.uniform(-2, 2)]) },
      {
        episodes: 200,
        seed: 77,
      },
    );
    await lastValueFrom(trainLoop({ env: new ContextBandit(), agent: agent.asLoopAgent(), totalSteps: 1000, seed: 3 }));
    expect(agent.updates).toBe(800);
    const learned = evaluatePolicy(new ContextBandit(), agent.greedyPolicy(), { episodes: 200, seed: 77 });
    // random actions: mean squared error ≈ 2; the learned actor must be an order of magnitude closer
    expect(random.meanReturn).toBeLessThan(-1.5);
    expect(learned.meanReturn).toBeGreaterThan(-0.15);
    agent.dispose();
  });
});
