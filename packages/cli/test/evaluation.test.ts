import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeDefinition, pipelineDefinitionSchema, runPipeline } from '../src/index.js';
import { readRows } from '../src/run/metrics-tables.js';
import fixture, { createdArms } from './fixtures/fixture-plugin.js';
import { FIXTURES, tempDir } from './helpers/cli.js';

const dir = tempDir();

describe('evaluation against baselines', () => {
  it('evaluates the learner on its own training environment, baselines on twins of it, and closes each once', async () => {
    createdArms.length = 0;
    const definition = normalizeDefinition(
      pipelineDefinitionSchema.parse({
        plugins: [fixture],
        environment: { id: 'fixture-arms', config: { arms: 6, horizon: 12 } },
        learner: 'fixture-oracle',
        episodes: 4,
        seeds: 2,
        evaluation: { episodes: 5, baselines: ['fixture-oracle', 'random'] },
      }),
    );
    const runDir = join(dir, 'oracle');
    const summary = await runPipeline({
      definition,
      file: join(FIXTURES, 'inline.ts'),
      runDir,
      signal: new AbortController().signal,
    });
    expect(summary.status).toBe('completed');
    // The learner reads the environment it trained on; had it been closed (or swapped), act() would throw.
    const rows = await readRows<{ policy: string; seed: number; episode: number; return: number }>(
      runDir,
      'metrics/evaluation.parquet',
    );
    const returns = (policy: string) => rows.filter((r) => r.policy === policy).map((r) => r.return);
    // The same rule on the same layout, scenarios and reset seeds: identical returns, episode for episode.
    expect(returns('fixture-oracle (trained)')).toEqual(returns('fixture-oracle'));
    expect(returns('fixture-oracle')).toHaveLength(10);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(returns('fixture-oracle'))).toBeGreaterThan(mean(returns('random')));
    // Per seed: the training env, and one per baseline (a generator-only sample env is never built).
    expect(createdArms).toHaveLength(2 * 3);
    expect(createdArms.map((e) => e.closed)).toEqual(new Array(6).fill(1));
  });
});
