import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../src/index.js';
import { FIXTURES, runCli, tempDir } from './helpers/cli.js';

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const num = (s: string | undefined) => Number(s);

describe('twinforge run pipeline.ts, as a child process, end to end', () => {
  const runDir = join(tempDir(), 'run');
  let res: ReturnType<typeof runCli>;
  beforeAll(() => {
    res = runCli(['run', join(FIXTURES, 'pipeline.ts'), '--out', runDir, '--episodes', '24', '--seed', '5']);
  }, 120_000);

  it('exits 0 and prints the summary with where the results are', () => {
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^completed: 3\/3 seed\(s\) \[5, 6, 7\], 72 training episodes, \d+ steps/m);
    expect(res.stdout).toContain(`dataset:  ${runDir}/dataset`);
    expect(res.stdout).toContain(`report:   ${runDir}/report.html`);
    // Not a TTY: plain progress lines on stderr.
    expect(res.stderr).toMatch(/seed 5 {2}episode 24\/24 {2}\d+ steps/);
  });

  it('writes the run directory: config, seeds, versions, metrics, dataset, checkpoints, plots, report', () => {
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('completed');
    expect(record.seeds).toEqual([5, 6, 7]);
    expect(record.versions).toMatchObject({
      '@twinforge/cli': '0.1.0',
      '@twinforge/core': '0.1.0',
      apiVersion: '1.0.0',
    });
    expect(record.versions.plugins).toMatchObject({ 'twinforge-plugin-cli-fixture': '0.0.0' });
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ episodes: 24, seeds: [5, 6, 7], learner: { id: 'fixture-greedy' } });
    for (const seed of [5, 6, 7]) expect(existsSync(join(runDir, `checkpoints/seed-${seed}/learner.json`))).toBe(true);
    for (const f of ['learning-curves', 'evaluation', 'train-metrics']) {
      expect(statSync(join(runDir, `metrics/${f}.parquet`)).size).toBeGreaterThan(100);
    }
  });

  it('the dataset opens in DuckDB and holds exactly the episodes of the learning curves', async () => {
    const data = `read_parquet('${runDir}/dataset/data/*/*.parquet')`;
    const episodes = `read_parquet('${runDir}/dataset/meta/episodes/*/*.parquet')`;
    const curves = `read_parquet('${runDir}/metrics/learning-curves.parquet')`;
    const [rows] = await query(`SELECT count(*)::INT AS n, count(DISTINCT episode_index)::INT AS e FROM ${data}`);
    expect(res.stdout).toContain(`(${rows?.n} rows, ${rows?.e} episodes)`);
    // Per episode: the rewards summed in the dataset equal the learning curve's returns, seed by seed, in order.
    const fromData = await query(
      `SELECT m.seed::INT AS seed, sum(d."next.reward")::DOUBLE AS ret, count(*) FILTER (WHERE NOT d.is_last)::INT AS len
       FROM ${data} d JOIN ${episodes} m USING (episode_index) GROUP BY m.seed, d.episode_index ORDER BY m.seed, d.episode_index`,
    );
    const fromCurves = await query(
      `SELECT seed, return AS ret, length AS len FROM ${curves} WHERE kind = 'learner' ORDER BY seed, episode`,
    );
    expect(fromData).toHaveLength(72);
    expect(fromData.map((r) => [r.seed, r.len])).toEqual(fromCurves.map((r) => [r.seed, r.len]));
    for (const [i, r] of fromData.entries()) expect(r.ret).toBeCloseTo(fromCurves[i]?.ret as number, 4);
  });

  it('the metrics match the printed summary', async () => {
    const curves = `read_parquet('${runDir}/metrics/learning-curves.parquet')`;
    const evaluation = `read_parquet('${runDir}/metrics/evaluation.parquet')`;
    const [train] = await query(
      `SELECT count(*)::INT AS n, sum(length)::INT AS steps, avg(return) AS mean FROM ${curves} WHERE kind = 'learner'`,
    );
    const printed = /(\d+) training episodes, (\d+) steps/.exec(res.stdout);
    expect([num(printed?.[1]), num(printed?.[2])]).toEqual([train?.n, train?.steps]);
    const mean = /training mean return (-?[\d.]+) \(last 10%: (-?[\d.]+)\)/.exec(res.stdout);
    expect(num(mean?.[1])).toBeCloseTo(train?.mean as number, 3);
    const [last] = await query(
      `SELECT avg(m) AS v FROM (SELECT seed, avg(return) AS m FROM (
         SELECT *, row_number() OVER (PARTITION BY seed ORDER BY episode DESC) AS k FROM ${curves} WHERE kind = 'learner')
       WHERE k <= 2 GROUP BY seed)`,
    );
    expect(num(mean?.[2])).toBeCloseTo(last?.v as number, 3);

    const policies = await query(
      `SELECT policy, kind, avg(return) AS mean, count(*)::INT AS n FROM ${evaluation} GROUP BY policy, kind ORDER BY policy`,
    );
    expect(policies.map((p) => p.policy)).toEqual(['fixture-greedy (trained)', 'greedy (5 episodes)', 'random']);
    for (const p of policies) {
      const line = new RegExp(
        `${p.kind} +${String(p.policy).replace(/[()]/g, '\\$&')} +mean return (-?[\\d.]+) ± [\\d.]+ \\(95% CI, n=(\\d+)\\)`,
      );
      const m = line.exec(res.stdout);
      expect(m, `summary line for ${p.policy}`).not.toBeNull();
      expect(num(m?.[1])).toBeCloseTo(p.mean as number, 3);
      expect(num(m?.[2])).toBe(p.n);
      expect(p.n).toBe(3 * 6);
    }
  });

  it('a baseline that trains gets its own learning curve; the learner and baselines see the same scenarios', async () => {
    const curves = `read_parquet('${runDir}/metrics/learning-curves.parquet')`;
    const rows = await query(`SELECT policy, kind, count(*)::INT AS n FROM ${curves} GROUP BY ALL ORDER BY policy`);
    expect(rows).toEqual([
      { policy: 'fixture-greedy (trained)', kind: 'learner', n: 72 },
      { policy: 'greedy (5 episodes)', kind: 'baseline', n: 15 },
    ]);
    // Greedy evaluation ignores exploration, so the trained learner and its untrained twin act alike: with common
    // scenarios and reset seeds their evaluation episodes are identical, return for return.
    const evaluation = `read_parquet('${runDir}/metrics/evaluation.parquet')`;
    const [diff] = await query(
      `SELECT max(abs(a.return - b.return)) AS d, count(*)::INT AS n FROM ${evaluation} a JOIN ${evaluation} b
       ON a.seed = b.seed AND a.episode = b.episode
       WHERE a.policy = 'fixture-greedy (trained)' AND b.policy = 'greedy (5 episodes)'`,
    );
    expect(diff).toEqual({ d: 0, n: 18 });
  });

  it('report.html references only images that exist, as SVG and PNG', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1] as string)
      .filter((r) => !r.startsWith('data:'));
    const images = refs.filter((r) => /\.(svg|png)$/.test(r));
    expect(images.length).toBe(refs.length);
    expect(new Set(images)).toEqual(
      new Set(
        ['learning-curve', 'evaluation', 'train-metrics', 'map-interference'].flatMap((n) => [
          `plots/${n}.svg`,
          `plots/${n}.png`,
        ]),
      ),
    );
    for (const image of images) {
      const bytes = readFileSync(join(runDir, image));
      if (image.endsWith('.png')) expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      else expect(bytes.toString('utf8', 0, 200)).toMatch(/<svg/);
    }
  });
});
