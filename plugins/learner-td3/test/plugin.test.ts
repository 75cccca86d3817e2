import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHost, definePlugin, MemorySink, type PipelineEvent, silentLogger } from '@twinforge/core';
import { makePendulum } from '@twinforge/rl';
import { initTensorBackend } from '@twinforge/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import td3Plugin, { PLUGIN_NAME, type Td3Learner } from '../src/index.js';

// CartPole as a plugin environment, the way a pipeline sees any environment.
const cartPolePlugin = definePlugin({
  manifest: { name: 'test-pendulum', version: '0.1.0', apiVersion: '^1.0.0', provides: { environments: ['pendulum'] } },
  register(ctx) {
    ctx.environments.register('pendulum', { configSchema: z.strictObject({}), create: () => makePendulum() });
  },
});

let dir: string;
beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
  dir = await mkdtemp(path.join(tmpdir(), 'td3-plugin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = { hiddenSizes: [16], batchSize: 16, learningStarts: 100, trainFreq: 4, gradientSteps: 1 };

describe('td3 plugin', () => {
  it('registers the td3 learner and trains inside a pipeline, recording every step', async () => {
    const host = await createHost({ plugins: [td3Plugin, cartPolePlugin], logger: silentLogger });
    expect(host.learners.get('td3').plugin).toBe(PLUGIN_NAME);
    const sink = new MemorySink();
    const run = host
      .pipeline()
      .environment('pendulum')
      .learner('td3', config)
      .dataset(sink)
      .run({ seed: 3, episodes: 3 });
    const events: PipelineEvent[] = [];
    run.events$.subscribe((e) => events.push(e));
    const result = await run.done;
    expect(result.status).toBe('completed');
    expect(result.episodes).toBe(3);
    expect(sink.records).toHaveLength(result.steps + 3); // T + 1 rows per trajectory
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(metrics).toHaveLength(3);
    const last = metrics.at(-1) as { values: Record<string, number> };
    expect(last.values.steps).toBe(result.steps);
    expect(last.values.updates).toBeGreaterThan(0);
    expect(Number.isFinite(last.values.criticLoss)).toBe(true);
    expect(Number.isFinite(last.values.actorLoss)).toBe(true);
    await host.dispose();
  });

  it('validates its config through the host (the error names the field)', async () => {
    const host = await createHost({ plugins: [td3Plugin], logger: silentLogger });
    expect(() => host.createLearner('td3', { gamma: 2 }, host.defaultDeps('t'))).toThrow(/gamma/);
    await host.dispose();
  });

  it('a learner saved after training loads into a fresh one that acts the same', async () => {
    const host = await createHost({ plugins: [td3Plugin], logger: silentLogger });
    const deps = host.defaultDeps('t');
    const a = host.createLearner('td3', config, deps) as Td3Learner;
    expect(() => a.policy().act(new Float32Array(3), { explore: false })).toThrow(/train\(\) or load\(\)/);
    const env = makePendulum();
    const ctx = {
      env,
      rng: deps.rng,
      episodes: 1,
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
    const b = host.createLearner('td3', {}, host.defaultDeps('u')) as Td3Learner;
    await b.load(ckpt); // builds the checkpoint's own architecture ([16]), not b's default [400, 300]
    expect(b.agent?.config.hiddenSizes).toEqual([16]);
    const obs = env.reset({ seed: 5 }).observation;
    expect(b.policy().act(obs, { explore: false })).toEqual(a.policy().act(obs, { explore: false }));
    await host.dispose();
  });
});
