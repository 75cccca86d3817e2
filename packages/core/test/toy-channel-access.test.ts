import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHost, createRng, MemorySink, silentLogger, ToyChannelAccessEnv } from '../src/index.js';

const config = { agents: 3, channels: 4, horizon: 10, jammedSuccess: 0 };

describe('toy-channel-access (multi-agent built-in)', () => {
  it('collisions always fail: two radios on one channel both get 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        (seed, picks) => {
          const env = new ToyChannelAccessEnv(config, createRng(seed));
          env.reset({ seed });
          const actions = Object.fromEntries(env.possibleAgents.map((a, i) => [a, picks[i] as number]));
          const res = env.step(actions);
          env.possibleAgents.forEach((a, i) => {
            const shared = picks.filter((p) => p === picks[i]).length > 1;
            if (shared) expect(res.rewards[a]).toBe(0);
            expect(res.observations[a]?.length).toBe(8);
          });
          expect(env.state().length).toBe(12);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('runs in a pipeline with T+1 rows per agent trajectory, deterministically', async () => {
    const run = async (seed: number) => {
      const host = await createHost({ logger: silentLogger });
      const sink = new MemorySink();
      const result = await host
        .pipeline()
        .environment('toy-channel-access', { agents: 3, horizon: 10 })
        .dataset(sink)
        .run({ seed, episodes: 2 }).done;
      await host.dispose();
      return { result, sink };
    };
    const a = await run(5);
    const b = await run(5);
    expect(a.sink.info?.agents).toEqual(['radio_0', 'radio_1', 'radio_2']);
    expect(a.sink.records).toHaveLength(2 * 3 * 11);
    for (const agent of ['radio_0', 'radio_1', 'radio_2']) {
      const rows = a.sink.records.filter((r) => r.agentId === agent && r.episodeIndex === 0);
      expect(rows.map((r) => r.frameIndex)).toEqual([...Array(11).keys()]);
      expect(rows.at(-1)).toMatchObject({ isLast: true, truncated: true, action: null });
    }
    expect(b.result.returns).toEqual(a.result.returns);
    expect(b.sink.records.map((r) => r.reward)).toEqual(a.sink.records.map((r) => r.reward));
  });
});
