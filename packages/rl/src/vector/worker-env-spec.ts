import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import type { ResolvedEnvSpec } from './worker-protocol.js';

/**
 * How a worker thread builds one sub-environment: it imports `module`, takes the export named `export` (default
 * `'default'`) and calls it as `factory(config)` (or `factory()` when `config` is omitted); the factory returns an
 * `Env`, or a promise of one. Functions cannot cross a thread boundary, so this replaces SyncVectorEnv's closures.
 *
 * - `module` is a package name (`'@twinforge/rl'`, `'twinforge-plugin-x'`), a `file:` URL or an absolute path.
 *   A package name is resolved from the worker file inside @twinforge/rl, so it must be installed where that file
 *   can see it (usually true with hoisted node_modules); otherwise pass `import.meta.resolve('pkg')`. A relative
 *   path would silently resolve against the worker, so it is rejected: pass `new URL('./env.js', import.meta.url)`.
 * - The module must be importable in a plain worker: no side effects that need the main thread, and `.js`. A `.ts`
 *   module is loaded through tsx's `tsImport` when tsx is installed (workers do not inherit tsx's loader on
 *   Node 20), which costs a few hundred ms at start-up.
 * - `config` crosses by structured clone: plain data, typed arrays, Maps, no functions or class instances.
 */
export interface WorkerEnvSpec {
  module: string | URL;
  export?: string;
  config?: unknown;
}

const specSchema = z
  .object({
    module: z.union([z.string().min(1), z.instanceof(URL)]),
    export: z.string().min(1).optional(),
    config: z.unknown().optional(),
  })
  .strict();

const specsSchema = z.array(specSchema).min(1, 'AsyncVectorEnv needs at least one env');

/** Validates the caller's specs (CONFIG_INVALID names the field) and turns modules into worker import specifiers. */
export function resolveEnvSpecs(specs: readonly WorkerEnvSpec[]): ResolvedEnvSpec[] {
  const parsed = validateConfig(specsSchema, specs, 'AsyncVectorEnv envs');
  return parsed.map((s, i) => ({
    module: resolveModule(s.module, i),
    export: s.export ?? 'default',
    ...(s.config === undefined ? {} : { config: s.config }),
  }));
}

function resolveModule(module: string | URL, index: number): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('./') || module.startsWith('../')) {
    throw new TwinforgeError(
      'CONFIG_INVALID',
      `invalid AsyncVectorEnv envs: [${index}].module: relative path ${JSON.stringify(module)} would resolve ` +
        `against the worker file; pass new URL(${JSON.stringify(module)}, import.meta.url) instead`,
      { details: { fields: [`[${index}].module`] } },
    );
  }
  return isAbsolute(module) ? pathToFileURL(module).href : module;
}
