import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng, isTwinforgeError, type Rng, silentLogger } from '@twinforge/core';
import { makePendulum } from '@twinforge/rl';
import { getFlatWeights, initTensorBackend, tf } from '@twinforge/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Td3Agent, type Td3Config, type Td3Transition } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
  dir = await mkdtemp(path.join(tmpdir(), 'td3-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const small: Td3Config = { hiddenSizes: [16, 16], batchSize: 8, learningStarts: 8, tau: 0.1, policyDelay: 3 };
const bounds = { obsDim: 3, low: [-2], high: [2] };

function transition(rng: Rng): Td3Transition {
  return {
    observation: rng.fillNormal(new Float32Array(3)),
    action: new Float32Array([rng.uniform(-2, 2)]),
    reward: rng.uniform(-1, 1),
    nextObservation: rng.fillNormal(new Float32Array(3)),
    terminated: false,
    truncated: false,
  };
}

function play(agent: Td3Agent, steps: number, seed: number): number[] {
  const env = makePendulum();
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

describe('Td3Agent updates', () => {
  it('delays actor and target updates to every policyDelay-th critic update, with Polyak τ', () => {
    const agent = new Td3Agent({ ...bounds, config: small }, createRng(1));
    expect(getFlatWeights(agent.actorTarget)).toEqual(getFlatWeights(agent.actor));
    expect(getFlatWeights(agent.criticTarget)).toEqual(getFlatWeights(agent.critic));
    const rng = createRng(2);
    for (let i = 0; i < 8; i++) agent.observe(transition(rng)); // warm-up: no update
    expect(agent.updates).toBe(0);
    for (let k = 1; k <= 7; k++) {
      const before = {
        critic: getFlatWeights(agent.critic),
        actor: getFlatWeights(agent.actor),
        actorTarget: getFlatWeights(agent.actorTarget),
        criticTarget: getFlatWeights(agent.criticTarget),
      };
      agent.observe(transition(rng));
      expect(agent.updates).toBe(k);
      const critic = getFlatWeights(agent.critic);
      const actor = getFlatWeights(agent.actor);
      const actorTarget = getFlatWeights(agent.actorTarget);
      const criticTarget = getFlatWeights(agent.criticTarget);
      expect(critic).not.toEqual(before.critic); // the critics learn on every update
      if (k % 3 !== 0) {
        expect(actor).toEqual(before.actor);
        expect(actorTarget).toEqual(before.actorTarget);
        expect(criticTarget).toEqual(before.criticTarget);
      } else {
        expect(actor).not.toEqual(before.actor);
        for (let i = 0; i < actor.length; i += 7) {
          expect(actorTarget[i]).toBeCloseTo(0.1 * (actor[i] as number) + 0.9 * (before.actorTarget[i] as number), 6);
        }
        for (let i = 0; i < critic.length; i += 7) {
          expect(criticTarget[i]).toBeCloseTo(
            0.1 * (critic[i] as number) + 0.9 * (before.criticTarget[i] as number),
            6,
          );
        }
      }
    }
    agent.dispose();
  });

  it('explores uniformly within the bounds before learningStarts, then around the actor', () => {
    const agent = new Td3Agent({ obsDim: 3, low: [-2, 0], high: [2, 10], config: small }, createRng(1));
    const obs = new Float32Array([0.1, -0.2, 0.3]);
    const early = Array.from({ length: 200 }, () => agent.act(obs, true));
    for (const a of early) {
      expect(a[0]).toBeGreaterThanOrEqual(-2);
      expect(a[0]).toBeLessThanOrEqual(2);
      expect(a[1]).toBeGreaterThanOrEqual(0);
      expect(a[1]).toBeLessThanOrEqual(10);
    }
    expect(Math.max(...early.map((a) => a[1] as number))).toBeGreaterThan(9); // spans the box
    const greedy = agent.act(obs, false);
    expect(agent.act(obs, false)).toEqual(greedy); // deterministic without exploration
    const rng = createRng(3);
    for (let i = 0; i < 8; i++) agent.observe({ ...transition(rng), action: new Float32Array([0, 5]) });
    const noisy = Array.from({ length: 100 }, () => agent.act(obs, true)[0] as number);
    const mean = noisy.reduce((s, v) => s + v, 0) / noisy.length;
    const std = Math.sqrt(noisy.reduce((s, v) => s + (v - mean) ** 2, 0) / noisy.length);
    const mu = agent.act(obs, false)[0] as number;
    expect(Math.abs(mean - mu)).toBeLessThan(0.1);
    expect(std).toBeGreaterThan(0.12); // σ 0.1 in [-1, 1] units is 0.2 here
    expect(std).toBeLessThan(0.3);
    expect(agent.greedyActions(new Float32Array([...obs, ...obs]))).toEqual(new Float32Array([...greedy, ...greedy]));
    agent.dispose();
  });

  it('does not leak tensors across updates', () => {
    const agent = new Td3Agent({ ...bounds, config: small }, createRng(1));
    const rng = createRng(4);
    for (let i = 0; i < 12; i++) agent.observe(transition(rng));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 12; i++) agent.observe(transition(rng));
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('rejects a NaN reward and a wrong action length', () => {
    const agent = new Td3Agent({ ...bounds, config: small }, createRng(1));
    const t = transition(createRng(5));
    expect(() => agent.observe({ ...t, action: new Float32Array(2) })).toThrow(/length 1/);
    try {
      agent.observe({ ...t, reward: Number.NaN });
      expect.unreachable();
    } catch (error) {
      expect(isTwinforgeError(error, 'NUMERIC_INVALID')).toBe(true);
    }
    expect(() => new Td3Agent({ obsDim: 3, low: [1], high: [1] }, createRng(1))).toThrow(/low < high/);
    agent.dispose();
  });
});

describe('Td3Agent determinism and checkpoints', () => {
  const cfg: Td3Config = { hiddenSizes: [32, 32], batchSize: 32, learningStarts: 80 };

  it('same seed → the same learning curve and weights; another seed → different', () => {
    const run = (seed: number) => {
      const agent = new Td3Agent({ ...bounds, config: cfg }, createRng(seed));
      const returns = play(agent, 250, 11);
      const weights = getFlatWeights([agent.actor, agent.critic]);
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

  it('save/load round-trips networks, targets, both optimizers, counters and noise streams', async () => {
    const a = new Td3Agent({ ...bounds, config: cfg }, createRng(42));
    play(a, 250, 3);
    const ckpt = path.join(dir, 'roundtrip');
    await a.save(ckpt);
    const b = new Td3Agent({ ...bounds, config: cfg }, createRng(7));
    await b.load(ckpt);
    const c = await Td3Agent.fromCheckpoint(ckpt, createRng(8));
    const all = (x: Td3Agent) =>
      getFlatWeights([
        x.actor,
        x.actorTarget,
        x.critic,
        x.criticTarget,
        x.actorOptimizer.asWeightSource(),
        x.criticOptimizer.asWeightSource(),
      ]);
    for (const other of [b, c]) {
      expect(all(other)).toEqual(all(a));
      expect([other.steps, other.updates]).toEqual([a.steps, a.updates]);
    }
    const rng = createRng(9);
    for (let i = 0; i < 20; i++) {
      const obs = rng.fillNormal(new Float32Array(3));
      const expected = a.act(obs, true);
      expect(b.act(obs, true)).toEqual(expected);
      expect(c.act(obs, true)).toEqual(expected);
    }
    for (const agent of [a, b, c]) agent.dispose();
  });

  it('refuses a DQN-shaped or otherwise foreign checkpoint', async () => {
    const a = new Td3Agent({ ...bounds, config: cfg }, createRng(1));
    const ckpt = path.join(dir, 'shapes');
    await a.save(ckpt);
    const b = new Td3Agent({ obsDim: 4, low: [-1], high: [1], config: cfg }, createRng(1));
    await expect(b.load(ckpt)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID' });
    await expect(Td3Agent.fromCheckpoint(path.join(dir, 'missing'), createRng(1))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
    a.dispose();
    b.dispose();
  });
});
