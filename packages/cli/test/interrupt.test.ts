import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetReader } from '@twinforge/data';
import { describe, expect, it } from 'vitest';
import type { EpisodeRow, RunRecord } from '../src/index.js';
import { readRows } from '../src/run/metrics-tables.js';
import { spawnCli, tempDir } from './helpers/cli.js';

const dir = tempDir();

/** Spawns `twinforge run --json`, sends SIGINT after `after` training episodes, and collects everything. */
function interruptAfter(after: number, args: string[]) {
  const child = spawnCli(['run', ...args, '--json']);
  let stdout = '';
  let stderr = '';
  let episodes = 0;
  let sent = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    episodes = stdout.split('\n').filter((l) => l.includes('"type":"episode"')).length;
    if (!sent && episodes >= after) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string; sent: boolean }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr, sent }));
  });
}

describe('Ctrl-C (SIGINT) during a run, as a child process', () => {
  it('stops after the current episode, exits 130, says so, and leaves a consistent partial run directory', async () => {
    const file = join(dir, 'long.yaml');
    // Far more work than the test waits for: the interrupt always lands mid-run (in the second seed's training).
    writeFileSync(
      file,
      [
        'name: long',
        'environment: { id: toy-channel, config: { channels: 4, horizon: 40 } }',
        'episodes: 30',
        'seeds: 50',
        'evaluation: { episodes: 3, baselines: [random] }',
      ].join('\n'),
    );
    const runDir = join(dir, 'run');
    const res = await interruptAfter(45, [file, '--out', runDir]);
    expect(res.sent).toBe(true);
    expect(res.code).toBe(130);
    expect(res.stderr).toContain('interrupt: finishing the current episode');
    expect(res.stderr).toContain(`interrupted: ${runDir} is a consistent partial run`);

    // stdout stays machine-readable to the end: every line is JSON, the last one the (interrupted) summary.
    const events = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const summary = events.at(-1) as { type: string; summary: RunRecord['summary'] };
    expect(summary.type).toBe('summary');
    expect(summary.summary?.status).toBe('interrupted');

    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('interrupted');
    expect(record.note).toMatch(/^interrupted after \d+ of 50 seed\(s\)/);
    expect(record.finishedAt).toBeDefined();
    const done = record.summary?.completedSeeds ?? [];
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(done.length).toBeLessThan(50);

    // The dataset validates, is marked partial, and holds exactly the episodes the learning curves list.
    const reader = await DatasetReader.open(join(runDir, 'dataset'));
    expect(reader.info.trajectory.complete).toBe(false);
    const curves = (await readRows<EpisodeRow>(runDir, 'metrics/learning-curves.parquet')).filter(
      (c) => c.kind === 'learner',
    );
    expect(reader.info.total_episodes).toBe(curves.length);
    expect(record.summary?.train.episodes).toBe(curves.length);
    expect(curves.length).toBeGreaterThanOrEqual(45);
    const rewardSums = reader.episodes.getChild('reward_sum')?.toArray() as Float64Array;
    for (const [i, c] of curves.entries()) expect(rewardSums[i]).toBeCloseTo(c.return, 4);
    // Only fully evaluated seeds are in the evaluation table.
    const evaluation = await readRows<{ seed: number }>(runDir, 'metrics/evaluation.parquet');
    expect([...new Set(evaluation.map((e) => e.seed))]).toEqual(done);
    // The report was still rendered and says what happened.
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('class="status interrupted"');
    expect(html).toContain(record.note as string);
    expect(existsSync(join(runDir, 'plots', 'learning-curve.svg'))).toBe(true);
  }, 120_000);
});
