import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHost, definePlugin, MemorySink, type PipelineEvent, silentLogger } from '@twinforge/core';
import { makeCartPole } from '@twinforge/rl';
import { initTensorBackend } from '@twinforge/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import dqnPlugin, { type DqnLearner, PLUGIN_NAME } from '../src/index.js';

// CartPole as a plugin environment, the way a pipeline sees any environment.
const cartPolePlugin = definePlugin({
  manifest: { name: 'test-cartpole', version: '0.1.0', apiVersion: '^1.0.0', provides: { environments: ['cartpole'] } },
  register(ctx) {
    ctx.environments.register('cartpole', { configSchema: z.strictObject({}), create: () => makeCartPole() });
  },
});

let dir: string;
beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
  dir = await mkdtemp(path.join(tmpdir(), 'dqn-plugin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = { hiddenSizes: [16], batchSize: 16, learningStarts: 32, trainFreq: 4, gradientSteps: 1 };

describe('dqn plugin', () => {
  it('registers the dqn learner and trains inside a pipeline, recording every step', async () => {
    const host = await createHost({ plugins: [dqnPlugin, cartPolePlugin], logger: silentLogger });
    expect(host.learners.get('dqn').plugin).toBe(PLUGIN_NAME);
    const sink = new MemorySink();
    const run = host
      .pipeline()
      .environment('cartpole')
      .learner('dqn', config)
      .dataset(sink)
      .run({ seed: 3, episodes: 6 });
    const events: PipelineEvent[] = [];
    run.events$.subscribe((e) => events.push(e));
    const result = await run.done;
    expect(result.status).toBe('completed');
    expect(result.episodes).toBe(6);
    expect(sink.records).toHaveLength(result.steps + 6); // T + 1 rows per trajectory
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(metrics).toHaveLength(6);
    const last = metrics.at(-1) as { values: Record<string, number> };
    expect(last.values.steps).toBe(result.steps);
    expect(last.values.updates).toBeGreaterThan(0);
    expect(Number.isFinite(last.values.loss)).toBe(true);
    await host.dispose();
  });

  it('validates its config through the host (the error names the field)', async () => {
    const host = await createHost({ plugins: [dqnPlugin], logger: silentLogger });
    expect(() => host.createLearner('dqn', { gamma: 2 }, host.defaultDeps('t'))).toThrow(/gamma/);
    await host.dispose();
  });

  it('a learner saved after training loads into a fresh one that acts the same', async () => {
    const host = await createHost({ plugins: [dqnPlugin], logger: silentLogger });
    const deps = host.defaultDeps('t');
    const a = host.createLearner('dqn', config, deps) as DqnLearner;
    expect(() => a.policy().act(new Float32Array(4), { explore: false })).toThrow(/train\(\) or load\(\)/);
    const env = makeCartPole();
    const ctx = {
      env,
      rng: deps.rng,
      episodes: 3,
      maxStepsPerEpisode: 500,
      signal: new AbortController().signal,
      logger: silentLogger,
      scenarios: { next: () => ({ id: 's', seed: 0, params: {}, events: [], provenance: { generator: 'test' } }) },
      record: () => {},
      feedback: () => {},
    };
    await new Promise<void>((resolve, reject) => a.train(ctx as never).subscribe({ complete: resolve, error: reject }));
    const ckpt = path.join(dir, 'learner');
    await a.save(ckpt);
    const b = host.createLearner('dqn', {}, host.defaultDeps('u')) as DqnLearner;
    await b.load(ckpt); // builds the checkpoint's own architecture ([16]), not b's default [256, 256]
    expect(b.agent?.config.hiddenSizes).toEqual([16]);
    const obs = env.reset({ seed: 5 }).observation;
    expect(b.policy().act(obs, { explore: false })).toBe(a.policy().act(obs, { explore: false }));
    await host.dispose();
  });
});
