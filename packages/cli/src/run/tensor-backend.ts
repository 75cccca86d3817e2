import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '@twinforge/core';

const TENSOR = '@twinforge/tensor';

function packageJsonOf(name: string, from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface TensorBackendChoice {
  id: string;
  tfName: string;
  forced: boolean;
}

/**
 * The CLI is the process entry point, so it picks the tfjs backend (once, before any learner builds a network) when
 * a loaded plugin depends on @twinforge/tensor; runs without one never pay for loading tfjs. The tensor package is
 * imported from that plugin's own resolution, so both share one module instance and one backend.
 * TWINFORGE_TF_BACKEND forces a backend as everywhere else.
 */
export async function initTensorBackendFor(
  plugins: readonly string[],
  from: string,
  logger: Logger,
): Promise<TensorBackendChoice | undefined> {
  for (const name of plugins) {
    const pkgJson = packageJsonOf(name, from);
    if (!pkgJson) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as Record<string, Record<string, string> | undefined>;
    const uses = [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies].some((d) => d?.[TENSOR]);
    if (!uses) continue;
    let entry: string;
    try {
      entry = createRequire(pkgJson).resolve(TENSOR);
    } catch {
      continue;
    }
    const tensor = (await import(pathToFileURL(entry).href)) as {
      initTensorBackend(options: { logger: Logger }): Promise<TensorBackendChoice>;
    };
    const info = await tensor.initTensorBackend({ logger });
    return { id: info.id, tfName: info.tfName, forced: info.forced };
  }
  return undefined;
}
