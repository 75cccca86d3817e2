import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  CartPoleEnv,
  evaluatePolicy,
  type LoopAgent,
  type LoopEvent,
  type LoopTransition,
  makeCartPole,
  type Policy,
  trainLoop,
} from '../src/index.js';

/** A PD controller that balances CartPole for the full 500 steps. */
const balance: Policy<Float32Array, number> = {
  act: (o) => (10 * o[2]! + 2 * o[3]! + 0.1 * o[0]! + 0.2 * o[1]! > 0 ? 1 : 0),
};
const pushRight: Policy<Float32Array, number> = { act: () => 1 };

describe('evaluatePolicy', () => {
  it('reports per-episode returns and their mean and std, reproducibly', () => {
    const a = evaluatePolicy(makeCartPole(), pushRight, { episodes: 4, seed: 3 });
    const b = evaluatePolicy(makeCartPole(), pushRight, { episodes: 4, seed: 3 });
    expect(a).toEqual(b);
    expect(a.returns).toEqual(a.lengths);
    expect(a.meanReturn).toBeCloseTo(a.returns.reduce((x, y) => x + y, 0) / 4, 12);
    expect(evaluatePolicy(makeCartPole(), balance, { episodes: 2 }).meanReturn).toBe(500);
  });
});

describe('trainLoop', () => {
  it('streams episodes, progress and checkpoints, and hands the agent consistent transitions', async () => {
    const seen: LoopTransition<Float32Array, number>[] = [];
    const checkpoints: number[] = [];
    const events = await lastValueFrom(
      trainLoop({
        env: makeCartPole(),
        agent: { ...pushRight, observe: (t) => seen.push(t) },
        totalSteps: 250,
        progressEvery: 100,
        checkpointEvery: 125,
        onCheckpoint: (s) => checkpoints.push(s),
        chunk: 60,
      }).pipe(toArray()),
    );
    expect(seen).toHaveLength(250);
    for (let i = 1; i < seen.length; i++) {
      const prev = seen[i - 1]!;
      // Within an episode, each transition starts where the previous one ended.
      if (!prev.terminated && !prev.truncated) expect(seen[i]!.observation).toEqual(prev.nextObservation);
    }
    const episodes = events.filter((e): e is Extract<LoopEvent, { kind: 'episode' }> => e.kind === 'episode');
    expect(episodes.length).toBeGreaterThan(5);
    const lastEnd = seen.findLastIndex((t) => t.terminated || t.truncated);
    expect(episodes.reduce((a, e) => a + e.length, 0)).toBe(lastEnd + 1);
    for (const e of episodes) expect(e.return).toBe(e.length);
    expect(events.filter((e) => e.kind === 'progress').map((e) => e.step)).toEqual([100, 200]);
    expect(checkpoints).toEqual([125, 250]);
    expect(events.at(-1)).toEqual({ kind: 'done', step: 250, reason: 'total-steps' });
  });

  it('stops on a mean-return threshold reached by evaluation', async () => {
    const events = await lastValueFrom(
      trainLoop({
        env: makeCartPole(),
        agent: balance,
        totalSteps: 10_000,
        evalEvery: 200,
        evalEnv: makeCartPole(),
        evalEpisodes: 2,
        stopOnMeanReturn: 475,
      }).pipe(toArray()),
    );
    const evals = events.filter((e) => e.kind === 'eval');
    expect(evals).toHaveLength(1);
    expect(events.at(-1)).toEqual({ kind: 'done', step: 200, reason: 'threshold' });
  });

  it("evaluates the agent's evalPolicy, not its exploring act, when it has one", async () => {
    const run = (agent: LoopAgent<Float32Array, number>) =>
      lastValueFrom(
        trainLoop({ env: makeCartPole(), agent, totalSteps: 100, evalEvery: 100, evalEnv: makeCartPole() }).pipe(
          toArray(),
        ),
      );
    const exploring = { act: pushRight.act };
    const withEval = (await run({ ...exploring, evalPolicy: balance })).find((e) => e.kind === 'eval');
    const without = (await run(exploring)).find((e) => e.kind === 'eval');
    expect(withEval).toMatchObject({ meanReturn: 500 });
    expect(without?.kind === 'eval' && without.meanReturn).toBeLessThan(50);
  });

  it('cancels when unsubscribed, between chunks', async () => {
    let steps = 0;
    const first = await firstValueFrom(
      trainLoop({
        env: new CartPoleEnv(),
        agent: { ...pushRight, observe: () => steps++ },
        totalSteps: 1_000_000,
        progressEvery: 50,
        chunk: 100,
      }),
    );
    expect(first.kind).toBe('episode');
    await new Promise((r) => setTimeout(r, 20));
    expect(steps).toBeLessThanOrEqual(100);
  });

  it('reports errors from the environment through the stream', async () => {
    const env = new CartPoleEnv();
    await expect(lastValueFrom(trainLoop({ env, agent: { act: () => 7 }, totalSteps: 10 }))).rejects.toMatchObject({
      code: 'ENV_INVALID_ACTION',
    });
  });
});
