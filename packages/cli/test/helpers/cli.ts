import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { Io } from '../../src/util/io.js';

/** packages/cli */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures');
export const ARTIFACTS = join(PACKAGE_DIR, 'test', 'artifacts');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The built bin when it is up to date (turbo builds it before `test`), else src/bin.ts under tsx's loader. */
function entry(): string[] {
  const bin = join(PACKAGE_DIR, 'dist', 'bin.js');
  if (existsSync(bin) && newestMtime(join(PACKAGE_DIR, 'dist')) >= newestMtime(join(PACKAGE_DIR, 'src'))) return [bin];
  return ['--import', 'tsx', join(PACKAGE_DIR, 'src', 'bin.ts')];
}

/** The CLI as a user runs it, in a node process of its own (the loader runs in-process, so signals reach the CLI). */
export function cliArgs(args: readonly string[]): string[] {
  return [...entry(), ...args];
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): CliResult {
  const res = spawnSync(process.execPath, cliArgs(args), {
    cwd: options.cwd ?? PACKAGE_DIR,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

export function spawnCli(args: readonly string[], cwd = PACKAGE_DIR): ChildProcess {
  return spawn(process.execPath, cliArgs(args), {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix = 'twinforge-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An in-process Io capturing output, for command tests that need no separate process. */
export function memoryIo(cwd = PACKAGE_DIR): Io & { stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({
      isTTY: false,
      write(chunk: string | Uint8Array) {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  return {
    out: stream((s) => {
      out += s;
    }),
    err: stream((s) => {
      err += s;
    }),
    cwd,
    onInterrupt: () => () => {},
    stdout: () => out,
    stderr: () => err,
  };
}
