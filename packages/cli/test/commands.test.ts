import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefinition, main, runPipeline } from '../src/index.js';
import { FIXTURES, memoryIo, tempDir } from './helpers/cli.js';

const dir = tempDir();
const runDir = join(dir, 'run');

async function cli(argv: string[]) {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

beforeAll(async () => {
  const { definition, file } = await loadDefinition(join(FIXTURES, 'queue.yaml'));
  await runPipeline({ definition: { ...definition, episodes: 6 }, file, runDir, signal: new AbortController().signal });
}, 60_000);

describe('twinforge plugins', () => {
  it('list: built-ins and installed plugins with what they provide and API compatibility', async () => {
    const res = await cli(['plugins', 'list', '--json']);
    expect(res.code).toBe(0);
    const { apiVersion, plugins } = JSON.parse(res.stdout) as {
      apiVersion: string;
      plugins: Record<string, unknown>[];
    };
    expect(apiVersion).toBe('1.0.0');
    expect(plugins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: '@twinforge/core',
          compatible: true,
          provides: expect.objectContaining({ learners: ['random'], generators: ['static'] }),
        }),
        expect.objectContaining({
          name: 'twinforge-plugin-example',
          version: '0.1.0',
          apiVersion: '^1.0.0',
          compatible: true,
          provides: { environments: ['example-queue'], generators: ['example-surges'], learners: [] },
        }),
      ]),
    );
    const text = await cli(['plugins', 'list']);
    expect(text.stdout).toMatch(/^twinforge-plugin-example +0\.1\.0 +\^1\.0\.0 +yes +example-queue +example-surges$/m);
  });

  it('info: contributions with their config fields, types, ranges and defaults', async () => {
    const res = await cli(['plugins', 'info', 'example']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('twinforge-plugin-example@0.1.0');
    expect(res.stdout).toContain('compatible with this host (1.0.0)');
    expect(res.stdout).toContain('environment example-queue: Admission control at an edge server queue');
    expect(res.stdout).toContain('capacity: integer in [1, inf) = 20');
    expect(res.stdout).toContain('arrivalRate: number in (0, inf) = 0.8');
    const json = JSON.parse((await cli(['plugins', 'info', '@twinforge/core', '--json'])).stdout);
    expect(json.contributions.map((c: { id: string }) => c.id)).toEqual([
      'toy-channel',
      'toy-channel-access',
      'static',
      'random',
    ]);
  });

  it('info on an unknown plugin suggests the closest installed one', async () => {
    const res = await cli(['plugins', 'info', 'exmaple']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error \[PLUGIN_NOT_FOUND\].*Did you mean "twinforge-plugin-example"\?/);
  });
});

describe('twinforge data', () => {
  it('inspect: counts, columns and statistics of a run directory or a dataset directory', async () => {
    const res = await cli(['data', 'inspect', runDir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^twinforge\/queue-small \(format [\d.]+, environment example-queue\)$/m);
    expect(res.stdout).toContain('612 rows, 12 episodes, 12 trajectories, 1 agent(s)');
    expect(res.stdout).toMatch(/^observation\.state +FixedSizeList/m);
    const json = JSON.parse((await cli(['data', 'inspect', join(runDir, 'dataset'), '--json'])).stdout);
    expect(json).toMatchObject({ frames: 612, episodes: 12, complete: true, agents: ['agent_0'] });
  });

  it('export: JSON lines (one per row) and a D4RL transition table (one per step)', async () => {
    const jsonl = join(dir, 'rows.jsonl');
    expect((await cli(['data', 'export', runDir, '--out', jsonl])).stdout).toBe(`wrote 612 rows to ${jsonl}\n`);
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(612);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ episode_index: 0, frame_index: 0, is_first: true });
    const d4rl = join(dir, 'd4rl.json');
    expect((await cli(['data', 'export', runDir, '--format', 'd4rl', '--out', d4rl])).code).toBe(0);
    const t = JSON.parse(readFileSync(d4rl, 'utf8'));
    expect(t.observations).toHaveLength(600);
    expect(t.next_observations).toHaveLength(600);
    expect(t.rewards).toHaveLength(600);
    expect(t.terminals.filter(Boolean).length + t.timeouts.filter(Boolean).length).toBe(12);
  });

  it('query: SQL through DuckDB over the dataset and the run metrics', async () => {
    const res = await cli([
      'data',
      'query',
      runDir,
      `SELECT count(*) AS n, count(DISTINCT episode_index) AS e FROM steps`,
      '--json',
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([{ n: '612', e: '12' }]);
    // The learning curve agrees with the dataset: returns are the sums of rewards per episode.
    const check = await cli([
      'data',
      'query',
      runDir,
      `SELECT max(abs(c.return - d.r)) AS diff FROM learning_curves c JOIN (
         SELECT m.seed, s.episode_index, sum(s."next.reward") AS r FROM steps s JOIN episodes m USING (episode_index)
         GROUP BY ALL) d ON d.seed = c.seed AND d.episode_index = c.episode + (c.seed - 1) * 6`,
      '--json',
    ]);
    expect(Number(JSON.parse(check.stdout)[0].diff)).toBeLessThan(1e-4);
    const table = await cli([
      'data',
      'query',
      runDir,
      'SELECT policy, count(*) AS n FROM evaluation GROUP BY 1 ORDER BY 1',
    ]);
    expect(table.stdout).toMatch(/^policy +n\n-+ +-+\nrandom +10\nrandom \(trained\) +10\n$/);
    const bad = await cli(['data', 'query', runDir, 'SELECT nope FROM steps']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /INVALID_ARGUMENT.*DuckDB rejected the query[\s\S]*views: steps, episodes, learning_curves/,
    );
  });

  it('without the optional DuckDB package, query says what to install', async () => {
    const { loadDuckDb } = await import('../src/commands/data-command.js');
    await expect(loadDuckDb('@duckdb/not-installed-here')).rejects.toMatchObject({
      code: 'DEPENDENCY_MISSING',
      message: expect.stringMatching(/^twinforge data query needs DuckDB, .*npm install @duckdb\/not-installed-here/),
    });
  });

  it('a path that is not a dataset is named', async () => {
    const res = await cli(['data', 'inspect', join(dir, 'nothing-here')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('FILE_NOT_FOUND');
    expect(res.stderr).toContain('nothing-here');
  });
});

describe('twinforge report', () => {
  it('re-renders report.html and every plot from the run directory alone', async () => {
    rmSync(join(runDir, 'report.html'), { force: true });
    rmSync(join(runDir, 'plots'), { recursive: true, force: true });
    const res = await cli(['report', runDir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^completed: 2\/2 seed\(s\) \[1, 2\], 12 training episodes, 600 steps/);
    expect(res.stdout).toContain(`plots:    4 files in ${runDir}/plots`);
    expect(statSync(join(runDir, 'report.html')).size).toBeGreaterThan(2000);
    for (const f of ['learning-curve.svg', 'learning-curve.png', 'evaluation.svg', 'evaluation.png']) {
      expect(statSync(join(runDir, 'plots', f)).size).toBeGreaterThan(1000);
    }
  });

  it('refuses a directory that is not a run', async () => {
    const res = await cli(['report', dir]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/FILE_NOT_FOUND.*is not a twinforge run directory \(no run\.json\)/);
  });
});

describe('twinforge bench', () => {
  it("lists the repository's benchmarks with what they measure", async () => {
    const res = await cli(['bench']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^vector-env +CartPole env-steps\/s|^vector-env +\S/m);
    expect(res.stdout).toMatch(/^dataset-write +/m);
  });

  it('an unknown bench suggests the closest name; outside the repository it says where benches live', async () => {
    const res = await cli(['bench', 'vector-evn']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/UNKNOWN_ID.*unknown bench "vector-evn"\. Did you mean "vector-env"\?/);
    const io = memoryIo('/');
    expect(await main(['bench'], io)).toBe(1);
    expect(io.stderr()).toMatch(/FILE_NOT_FOUND.*no scripts\/bench folder/);
  });

  it('runs one as a child process and passes its arguments and exit code through', async () => {
    const benches = join(FIXTURES, 'bench');
    expect((await cli(['bench', '--dir', benches])).stdout).toMatch(/^echo +Prints its arguments and exits/m);
    const res = await cli(['bench', 'echo', '--dir', benches, '--', '--smoke', '--exit', '3']);
    expect([res.code, res.stdout]).toEqual([3, 'bench:echo --smoke --exit 3\n']);
  }, 60_000);
});
