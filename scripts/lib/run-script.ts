import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The scripts/ folder. */
export const SCRIPTS_DIR = join(here, '..');

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The last non-empty line of stdout: every script ends with a one-line summary. */
  summary: string;
}

/** Runs `scripts/<relative>.ts` under tsx as a child process, the way `npm run` does, for smoke tests. */
export function runScript(relative: string, args: string[] = [], timeoutMs = 300_000): ScriptResult {
  const tsx = join(SCRIPTS_DIR, '..', 'node_modules', '.bin', 'tsx');
  const res = spawnSync(tsx, [join(SCRIPTS_DIR, relative), ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const lines = (res.stdout ?? '').split('\n').filter((l) => l.trim() !== '');
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', summary: lines.at(-1) ?? '' };
}
