import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHost } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { checkContributions } from '../src/definition/check-contributions.js';
import { loadDefinition, runPipeline } from '../src/index.js';
import { PACKAGE_DIR, tempDir } from './helpers/cli.js';

const PIPELINES = join(PACKAGE_DIR, 'pipelines');
const files = readdirSync(PIPELINES).filter((f) => f.endsWith('.yaml'));

describe('the pipelines shipped in pipelines/ (npm run demo runs them)', () => {
  it.each(files)('%s names installed plugins, known ids and valid configs', async (name) => {
    const { definition, file } = await loadDefinition(join(PIPELINES, name));
    const host = await createHost({ plugins: definition.plugins as string[], resolveFrom: PIPELINES });
    try {
      expect(() => checkContributions(host, definition, file)).not.toThrow();
    } finally {
      await host.dispose();
    }
  });

  it('dt-qlearning-iov, shortened, trains DT-QL past physical QL and random on the same scenarios', async () => {
    const { definition, file } = await loadDefinition(join(PIPELINES, 'dt-qlearning-iov.yaml'));
    const baselines = definition.evaluation.baselines.map((b) =>
      b.trainEpisodes > 0 ? { ...b, trainEpisodes: 300 } : b,
    );
    const summary = await runPipeline({
      definition: { ...definition, episodes: 300, seeds: [1], evaluation: { episodes: 10, baselines } },
      file,
      runDir: join(tempDir(), 'run'),
      signal: new AbortController().signal,
    });
    const score = Object.fromEntries(summary.evaluation.policies.map((p) => [p.policy, p.meanReturn]));
    expect(summary.status).toBe('completed');
    expect(score['dt-qlearning (trained)']).toBeGreaterThan(score['physical QL (n = 1)'] as number);
    expect(score['physical QL (n = 1)']).toBeGreaterThan(score.random as number);
  }, 120_000);
});
