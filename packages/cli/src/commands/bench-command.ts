import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { didYouMean, TwinforgeError } from '@twinforge/core';
import type { Io } from '../util/io.js';
import { renderTable } from '../util/table.js';

export interface BenchEntry {
  name: string;
  file: string;
  /** The script's header comment, after its usage line. */
  description: string;
}

/** The nearest scripts/bench folder from `cwd` upwards (benchmarks live in the twinforge repository). */
export function findBenchDir(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, 'scripts', 'bench');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function listBenches(benchDir: string): BenchEntry[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => {
      const file = join(benchDir, f);
      const comments = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l, i, all) => l.startsWith('//') && all.slice(0, i).every((p) => p.startsWith('//')))
        .map((l) => l.replace(/^\/\/\s?/, ''));
      const description =
        comments
          .filter((l) => !l.startsWith('npm run'))
          .join(' ')
          .split('. ')[0] ?? '';
      const text = description.replace(/\s+/g, ' ').trim();
      // One table row per bench: the first sentence, clipped.
      return { name: basename(f, '.ts'), file, description: text.length > 110 ? `${text.slice(0, 109)}…` : text };
    });
}

function benchDirOrThrow(cwd: string): string {
  const dir = findBenchDir(cwd);
  if (!dir) {
    throw new TwinforgeError(
      'FILE_NOT_FOUND',
      `no scripts/bench folder above ${cwd}: benchmarks ship with the twinforge repository, run this from a checkout`,
      { details: { cwd } },
    );
  }
  return dir;
}

/** `twinforge bench`: lists scripts/bench; `twinforge bench <name> [-- args]` runs one under tsx and returns its code. */
export async function benchCommand(
  name: string | undefined,
  args: string[],
  options: { dir?: string },
  io: Io,
): Promise<number> {
  const dir = options.dir ? resolve(io.cwd, options.dir) : benchDirOrThrow(io.cwd);
  if (!existsSync(dir)) {
    throw new TwinforgeError('FILE_NOT_FOUND', `bench folder not found: ${options.dir}`, { details: { dir } });
  }
  const entries = listBenches(dir);
  if (name === undefined) {
    io.out.write(
      `${renderTable(
        ['bench', 'what it measures'],
        entries.map((e) => [e.name, e.description]),
      )}\n`,
    );
    io.out.write(`run one with: twinforge bench <name> [-- --smoke]   (build first: npm run build)\n`);
    return 0;
  }
  const entry = entries.find((e) => e.name === name || `bench:${e.name}` === name);
  if (!entry) {
    throw new TwinforgeError(
      'UNKNOWN_ID',
      `unknown bench "${name}".${didYouMean(
        name,
        entries.map((e) => e.name),
      )} Known: ${entries.map((e) => e.name).join(', ')}`,
      { details: { name, known: entries.map((e) => e.name) } },
    );
  }
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  return await new Promise<number>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsx, entry.file, ...args], {
      cwd: dirname(dirname(dir)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => io.out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => io.err.write(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 + 2 : 1)));
  });
}
