import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// vitest's setup file preloads reflect-metadata, which would hide a missing polyfill; a bare Node process does not.
describe('package entry points in a bare Node process', () => {
  it('@twinforge/core and @twinforge/physics import without a reflect-metadata preload', () => {
    const code = [
      "const core = await import('@twinforge/core');",
      "await import('@twinforge/physics');",
      'const host = await core.createHost({ logger: core.silentLogger });',
      "const r = await host.pipeline().environment('toy-channel', { horizon: 3 }).run({ seed: 1, episodes: 1 }).done;",
      'console.log(r.status, r.steps);',
    ].join('\n');
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('completed 3');
  });
});
