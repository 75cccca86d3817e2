import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { FIXTURES, memoryIo, PACKAGE_DIR, runCli, tempDir } from './helpers/cli.js';

const dir = tempDir();

/** Writes a YAML pipeline into the temp dir and runs `twinforge run` on it in-process. */
async function runYaml(name: string, yaml: string, extra: string[] = []) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, `${name}-run`);
  const io = memoryIo();
  const code = await main(['run', file, '--out', out, ...extra], io);
  return { code, stdout: io.stdout(), stderr: io.stderr(), out };
}

const TOY = 'environment: { id: toy-channel, config: { horizon: 5 } }\nepisodes: 2\nevaluation: { episodes: 1 }\n';

describe('bad input', () => {
  it('a missing pipeline file: exit 1, FILE_NOT_FOUND naming the file (child process)', () => {
    const res = runCli(['run', 'pipelines/does-not-exist.yaml']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /^twinforge: error \[FILE_NOT_FOUND\]: pipeline file not found: pipelines\/does-not-exist\.yaml/,
    );
    expect(res.stderr).toContain(join(PACKAGE_DIR, 'pipelines/does-not-exist.yaml'));
    expect(res.stderr).not.toContain('    at '); // no stack without --verbose
  });

  it('--verbose adds the stack', async () => {
    const io = memoryIo();
    expect(await main(['--verbose', 'run', join(dir, 'nope.json')], io)).toBe(1);
    expect(io.stderr()).toMatch(/error \[FILE_NOT_FOUND\][\s\S]*\n {4}at /);
  });

  it('an invalid config names every bad field, and leaves no run directory behind', async () => {
    const res = await runYaml(
      'invalid',
      'environment: toy-channel\nepisodes: 0\nepisdoes: 3\nevaluation: { episodes: -1 }\n',
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error \[CONFIG_INVALID\]: invalid pipeline config .*invalid\.yaml:/);
    expect(res.stderr).toMatch(/episodes: Too small/);
    expect(res.stderr).toMatch(/episdoes: unknown field/);
    expect(res.stderr).toMatch(/evaluation\.episodes: Too small/);
    expect(existsSync(res.out)).toBe(false);
  });

  it("a contribution's config is checked against its own schema, the field named from the file's root", async () => {
    const res = await runYaml(
      'env-config',
      'environment: { id: toy-channel, config: { channels: 1, chanels: 4 } }\nepisodes: 2\n',
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/CONFIG_INVALID.*environment\.config\.channels: Too small/);
    expect(res.stderr).toMatch(/environment\.config\.chanels: unknown field/);
    expect(res.stderr).toContain('(fields of the environment "toy-channel")');
    expect(existsSync(res.out)).toBe(false);
  });

  it('a YAML syntax error names the file', async () => {
    const res = await runYaml('syntax', 'environment: [toy-channel\nepisodes: 2\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/CONFIG_INVALID.*syntax\.yaml is not valid/);
  });

  it('an unknown plugin suggests the closest installed one', async () => {
    const res = await runYaml('plugin', `plugins: [exampel]\n${TOY}`);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error \[PLUGIN_NOT_FOUND\]: plugin "exampel" is not installed/);
    expect(res.stderr).toContain('Did you mean "twinforge-plugin-example"?');
  });

  it('unknown contribution ids suggest the closest id and name the field', async () => {
    const env = await runYaml('env-id', 'environment: toy-chanel\nepisodes: 2\n');
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(
      /error \[UNKNOWN_ID\]: .*environment\.id: unknown environment "toy-chanel"\. Did you mean "toy-channel"\?/,
    );
    const baseline = await runYaml(
      'baseline-id',
      `${TOY.replace('evaluation: { episodes: 1 }', 'evaluation: { episodes: 1, baselines: [randm] }')}`,
    );
    expect(baseline.stderr).toMatch(
      /evaluation\.baselines\[0\]\.id: unknown learner "randm"\. Did you mean "random"\?/,
    );
    expect(existsSync(env.out) || existsSync(baseline.out)).toBe(false);
  });

  it('an existing, non-empty --out is refused rather than overwritten', async () => {
    const out = join(dir, 'taken');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'keep.txt'), 'mine');
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, TOY);
    const io = memoryIo();
    expect(await main(['run', file, '--out', out], io)).toBe(1);
    expect(io.stderr()).toMatch(/DATASET_EXISTS.*already exists and is not empty/);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('a run that fails midway exits 1 with the code, and leaves run.json (failed, with the error) and a report', async () => {
    const file = join(FIXTURES, 'fails.ts');
    const out = join(dir, 'fails-run');
    const res = runCli(['run', file, '--out', out]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/twinforge: error \[PIPELINE_FAILED\]: pipeline fails-s1 failed: TypeError/);
    expect(res.stderr).toContain(`the partial results and the error are in ${out}/report.html`);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'failed', error: { code: 'PIPELINE_FAILED' } });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('class="status failed"');
  }, 60_000);

  it('usage errors exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['run'], /missing required argument 'pipeline'/],
      [['run', 'x.yaml', '--seed', 'abc'], /expected a non-negative integer, got "abc"/],
      [['run', 'x.yaml', '--episodes', '0'], /expected a positive integer/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['run', 'x.yaml', '--bogus'], /unknown option '--bogus'/],
      [['data', 'export', 'x', '--out', 'y', '--format', 'xml'], /Allowed choices are jsonl, d4rl/],
    ];
    for (const [argv, message] of cases) {
      const io = memoryIo();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr()).toMatch(message);
    }
    const io = memoryIo();
    expect(await main(['run', join(dir, 'ok.yaml'), '--executor', 'threads'], io)).toBe(2);
    expect(io.stderr()).toMatch(/usage error: --executor threads needs @twinforge\/runtime/);
  });

  it('--json reports a failure as a JSON line too', async () => {
    const io = memoryIo();
    expect(await main(['run', join(dir, 'missing.yaml'), '--json'], io)).toBe(1);
    expect(JSON.parse(io.stdout().trim())).toMatchObject({ type: 'error', code: 'FILE_NOT_FOUND' });
  });
});
