import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng, isTwinforgeError, type Rng, silentLogger } from '@twinforge/core';
import { makeCartPole } from '@twinforge/rl';
import { getFlatWeights, initTensorBackend, tf } from '@twinforge/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DqnAgent, type DqnConfig, type DqnTransition } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
  dir = await mkdtemp(path.join(tmpdir(), 'dqn-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const small: DqnConfig = {
  hiddenSizes: [16],
  batchSize: 8,
  learningStarts: 8,
  trainFreq: 1,
  gradientSteps: 1,
  targetUpdateInterval: 3,
  explorationSteps: 50,
};

function transition(rng: Rng, obsDim = 4): DqnTransition {
  const obs = rng.fillNormal(new Float32Array(obsDim));
  return {
    observation: obs,
    action: rng.int(0, 1),
    reward: rng.uniform(-1, 1),
    nextObservation: rng.fillNormal(new Float32Array(obsDim)),
    terminated: rng.bernoulli(0.1),
    truncated: false,
  };
}

/** Plays CartPole with the exploring agent for `steps` steps; returns the episode returns. */
function play(agent: DqnAgent, steps: number, seed: number): number[] {
  const env = makeCartPole();
  let obs = env.reset({ seed }).observation;
  const returns: number[] = [];
  let ret = 0;
  for (let i = 0; i < steps; i++) {
    const action = agent.act(obs, true);
    const r = env.step(action);
    agent.observe({ ...r, observation: obs, action, nextObservation: r.observation });
    ret += r.reward;
    if (r.terminated || r.truncated) {
      returns.push(ret);
      ret = 0;
      obs = env.reset().observation;
    } else obs = r.observation;
  }
  return returns;
}

describe('DqnAgent schedule', () => {
  it('hard-copies the target every targetUpdateInterval env steps and nowhere else', () => {
    const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: small }, createRng(1));
    const rng = createRng(2);
    expect(getFlatWeights(agent.target)).toEqual(getFlatWeights(agent.q)); // same stream → same start
    for (let step = 1; step <= 15; step++) {
      const qBefore = getFlatWeights(agent.q);
      const targetBefore = getFlatWeights(agent.target);
      agent.observe(transition(rng));
      const targetAfter = getFlatWeights(agent.target);
      // the sync comes before the step's gradient update (SB3's order), so it copies the pre-update weights
      expect(targetAfter).toEqual(step % 3 === 0 ? qBefore : targetBefore);
      expect(agent.updates).toBe(Math.max(0, step - 8));
    }
    agent.dispose();
  });

  it('Polyak-averages with tau < 1', () => {
    const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: { ...small, tau: 0.25 } }, createRng(1));
    const rng = createRng(3);
    for (let i = 0; i < 11; i++) agent.observe(transition(rng));
    const q = getFlatWeights(agent.q);
    const t = getFlatWeights(agent.target);
    agent.observe(transition(rng)); // step 12: sync
    const after = getFlatWeights(agent.target);
    for (let i = 0; i < after.length; i++)
      expect(after[i]).toBeCloseTo(0.25 * (q[i] as number) + 0.75 * (t[i] as number), 6);
    agent.dispose();
  });

  it('trains gradientSteps times every trainFreq steps after learningStarts', () => {
    const agent = new DqnAgent(
      { obsDim: 4, nActions: 2, config: { ...small, learningStarts: 10, trainFreq: 4, gradientSteps: 3 } },
      createRng(1),
    );
    const rng = createRng(4);
    for (let i = 0; i < 24; i++) agent.observe(transition(rng));
    expect(agent.updates).toBe(12); // rounds at steps 12, 16, 20 and 24 (> learningStarts, multiples of 4), 3 each
    agent.dispose();
  });

  it('acts randomly before learningStarts, then ε-greedily with the linear schedule', () => {
    const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: { ...small, learningStarts: 0 } }, createRng(1));
    expect(agent.epsilon).toBe(1);
    const rng = createRng(5);
    for (let i = 0; i < 25; i++) agent.observe(transition(rng));
    expect(agent.epsilon).toBeCloseTo(1 + ((0.04 - 1) * 25) / 50, 12);
    const obs = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    const greedy = agent.act(obs, false);
    const q = agent.qValues(obs);
    expect(greedy).toBe((q[1] as number) > (q[0] as number) ? 1 : 0);
    agent.dispose();
  });

  it('does not leak tensors across updates (PER + n-step + double)', () => {
    const agent = new DqnAgent(
      { obsDim: 4, nActions: 2, config: { ...small, prioritized: true, nStep: 3 } },
      createRng(1),
    );
    const rng = createRng(6);
    for (let i = 0; i < 20; i++) agent.observe(transition(rng));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) agent.observe(transition(rng));
    expect(tf.memory().numTensors).toBe(before);
    expect(agent.updates).toBeGreaterThan(20);
    agent.dispose();
  });

  it('rejects an action outside the space and a NaN reward', () => {
    const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: small }, createRng(1));
    const t = transition(createRng(7));
    expect(() => agent.observe({ ...t, action: 2 })).toThrow(/action must be an integer in \[0, 2\)/);
    try {
      agent.observe({ ...t, reward: Number.NaN });
      expect.unreachable();
    } catch (error) {
      expect(isTwinforgeError(error, 'NUMERIC_INVALID')).toBe(true);
    }
    agent.dispose();
  });
});

describe('DqnAgent determinism and checkpoints', () => {
  const cfg: DqnConfig = { ...small, hiddenSizes: [32, 32], batchSize: 32, learningStarts: 100, trainFreq: 4 };

  it('same seed → the same learning curve and weights; another seed → different', () => {
    const run = (seed: number) => {
      const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: cfg }, createRng(seed));
      const returns = play(agent, 400, 11);
      const weights = getFlatWeights(agent.q);
      agent.dispose();
      return { returns, weights };
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    expect(b.returns).toEqual(a.returns);
    expect(b.weights).toEqual(a.weights);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('save/load round-trips weights, optimizer, counters and exploration stream', async () => {
    const a = new DqnAgent({ obsDim: 4, nActions: 2, config: cfg }, createRng(42));
    play(a, 300, 3);
    const ckpt = path.join(dir, 'roundtrip');
    await a.save(ckpt);
    const b = new DqnAgent({ obsDim: 4, nActions: 2, config: cfg }, createRng(7));
    await b.load(ckpt);
    const c = await DqnAgent.fromCheckpoint(ckpt, createRng(8));
    for (const other of [b, c]) {
      expect(getFlatWeights(other.q)).toEqual(getFlatWeights(a.q));
      expect(getFlatWeights(other.target)).toEqual(getFlatWeights(a.target));
      expect(getFlatWeights(other.optimizer.asWeightSource())).toEqual(getFlatWeights(a.optimizer.asWeightSource()));
      expect([other.steps, other.updates, other.epsilon]).toEqual([a.steps, a.updates, a.epsilon]);
    }
    // the ε-greedy stream continues where it was saved: identical exploring actions
    const rng = createRng(9);
    for (let i = 0; i < 30; i++) {
      const obs = rng.fillNormal(new Float32Array(4));
      const expected = a.act(obs, true);
      expect(b.act(obs, true)).toBe(expected);
      expect(c.act(obs, true)).toBe(expected);
    }
    for (const agent of [a, b, c]) agent.dispose();
  });

  it('refuses a checkpoint made for other shapes', async () => {
    const a = new DqnAgent({ obsDim: 4, nActions: 2, config: cfg }, createRng(1));
    const ckpt = path.join(dir, 'shapes');
    await a.save(ckpt);
    const b = new DqnAgent({ obsDim: 3, nActions: 2, config: cfg }, createRng(1));
    await expect(b.load(ckpt)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID' });
    a.dispose();
    b.dispose();
  });
});
