import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createHost, MemorySink, type PipelineEvent, type StepRecord, silentLogger } from '../src/index.js';

const jammer = { kind: 'jammer-on', t: 3, jammer: 0, position: { x: 0, y: 0 }, radius_m: 100, power_W: 1, channel: 0 };

async function runOnce(seed: number, episodes = 3) {
  const host = await createHost({ logger: silentLogger });
  const sink = new MemorySink();
  const run = host
    .pipeline()
    .environment('toy-channel', { channels: 3, horizon: 10 })
    .generator('static', { events: [jammer] })
    .dataset(sink)
    .run({ seed, episodes });
  const events = lastValueFrom(run.events$.pipe(toArray()));
  const result = await run.done;
  await host.dispose();
  return { result, records: sink.records, events: await events, sink };
}

describe('pipeline', () => {
  it('runs environment + generator + random learner + sink end to end', async () => {
    const { result, records, events, sink } = await runOnce(1);
    expect(result.status).toBe('completed');
    expect(result.episodes).toBe(3);
    expect(result.steps).toBe(30);
    expect(records).toHaveLength(33); // T+1 rows per trajectory
    expect(sink.closed).toBe(true);
    expect(sink.info?.actionSpace).toEqual({ type: 'Discrete', n: 3, start: 0 });
    const types = events.map((e: PipelineEvent) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(types.filter((t) => t === 'episode')).toHaveLength(3);
    // Layout invariants of the dataset stream.
    for (let e = 0; e < 3; e++) {
      const rows = records.filter((r: StepRecord) => r.episodeIndex === e);
      expect(rows.map((r) => r.frameIndex)).toEqual([...Array(11).keys()]);
      expect(rows[0]?.isFirst).toBe(true);
      expect(rows.at(-1)).toMatchObject({ isLast: true, action: null, reward: 0, truncated: true });
      expect(rows.slice(0, -1).every((r) => !r.isLast && r.action !== null)).toBe(true);
      const sum = rows.reduce((a, r) => a + r.reward, 0);
      expect(sum).toBe(result.returns[e]);
    }
  });

  it('is deterministic: same seed, same scenarios and trajectories; another seed differs', async () => {
    const a = await runOnce(42);
    const b = await runOnce(42);
    const c = await runOnce(43);
    const strip = (rs: StepRecord[]) => rs.map((r) => ({ ...r, observation: [...(r.observation as Float32Array)] }));
    expect(strip(b.records)).toEqual(strip(a.records));
    expect(b.result.returns).toEqual(a.result.returns);
    expect(strip(c.records)).not.toEqual(strip(a.records));
  });

  it('replays scenario events: a jammed channel stops delivering', async () => {
    const host = await createHost({ logger: silentLogger });
    const env = host.createEnvironment(
      'toy-channel',
      { channels: 2, horizon: 200, jammedSuccess: 0 },
      host.defaultDeps('e'),
    );
    if ('possibleAgents' in env) throw new Error('expected a single-agent env');
    const scenario = {
      id: 's',
      seed: 1,
      params: {},
      events: [{ ...jammer, t: 100 }],
      provenance: { generator: 'test' },
    };
    env.reset({ seed: 9, options: { scenario } });
    let before = 0;
    let after = 0;
    for (let t = 1; t <= 200; t++) {
      const r = env.step(0);
      if (t <= 100)
        before += r.reward; // the step ending at t = 100 was drawn before the jammer switched on
      else after += r.reward;
    }
    expect(before).toBeGreaterThan(10);
    expect(after).toBe(0);
    await host.dispose();
  });

  it('rejects a scenario event kind the environment does not support', async () => {
    const host = await createHost({ logger: silentLogger });
    const run = host
      .pipeline()
      .environment('toy-channel')
      .generator('static', { events: [{ kind: 'node-fail', t: 1, node: 0 }] })
      .run({ seed: 1, episodes: 1 });
    await expect(run.done).rejects.toMatchObject({ code: 'SCENARIO_UNSUPPORTED_EVENT' });
    await host.dispose();
  });

  it('stops cleanly on abort, keeping complete trajectories and saying it was cancelled', async () => {
    const host = await createHost({ logger: silentLogger });
    const sink = new MemorySink();
    const controller = new AbortController();
    const run = host
      .pipeline()
      .environment('toy-channel', { horizon: 20 })
      .dataset(sink)
      .run({ seed: 5, episodes: 100_000, signal: controller.signal });
    let episodes = 0;
    run.events$.subscribe((e) => {
      if (e.type === 'episode' && ++episodes === 5) controller.abort();
    });
    const result = await run.done;
    expect(result.status).toBe('cancelled');
    expect(result.episodes).toBeGreaterThanOrEqual(5);
    expect(result.episodes).toBeLessThan(100);
    expect(sink.closed).toBe(true);
    const lastRows = sink.records.filter((r) => r.isLast);
    expect(lastRows).toHaveLength(new Set(sink.records.map((r) => r.episodeIndex)).size);
    await host.dispose();
  });

  it('validates run options and composition', async () => {
    const host = await createHost({ logger: silentLogger });
    expect(() => host.pipeline().run({ seed: 1, episodes: 1 })).toThrow(
      expect.objectContaining({ code: 'PIPELINE_INCOMPLETE' }),
    );
    expect(() => host.pipeline().environment('toy-channel').run({ seed: -1, episodes: 1 })).toThrow(/seed/);
    expect(() => host.pipeline().environment('toy-channel').run({ seed: 1, episodes: 0 })).toThrow(/episodes/);
    expect(() => host.pipeline().environment('toy').run({ seed: 1, episodes: 1 })).toThrow(
      /Did you mean "toy-channel"/,
    );
    const bad = host.pipeline().environment('toy-channel', { channels: 0 }).run({ seed: 1, episodes: 1 });
    await expect(bad.done).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await host.dispose();
  });
});
