import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TwinforgeError } from '@twinforge/core';
import { parse as parseYaml } from 'yaml';
import { parseOrThrow } from './config-issues.js';
import { normalizeDefinition, type PipelineDefinition, pipelineDefinitionSchema } from './pipeline-definition.js';

const CODE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

export interface LoadedDefinition {
  definition: PipelineDefinition;
  /** Absolute path of the file; plugins named by package are resolved from its directory. */
  file: string;
}

/**
 * Reads a pipeline from `pipeline.ts` (default export: a definition or a function returning one), a JSON config or a
 * YAML config, validates it and expands the shorthands. A missing file is FILE_NOT_FOUND naming the path; a bad
 * field is CONFIG_INVALID naming the field (`evaluation.episodes: ...`).
 */
export async function loadDefinition(
  path: string,
  options: { seed?: number; cwd?: string } = {},
): Promise<LoadedDefinition> {
  const file = resolve(options.cwd ?? process.cwd(), path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new TwinforgeError('FILE_NOT_FOUND', `pipeline file not found: ${path} (resolved to ${file})`, {
      details: { file },
    });
  }
  const ext = extname(file).toLowerCase();
  let raw: unknown;
  if (CODE_EXTENSIONS.has(ext)) raw = await importPipelineModule(file, options.seed);
  else if (ext === '.json') raw = parseText(file, () => JSON.parse(readFileSync(file, 'utf8')));
  else if (YAML_EXTENSIONS.has(ext)) raw = parseText(file, () => parseYaml(readFileSync(file, 'utf8')));
  else {
    throw new TwinforgeError(
      'INVALID_ARGUMENT',
      `cannot read a pipeline from ${path}: expected .ts/.js (a default-exported definition), .json or .yaml`,
      { details: { file } },
    );
  }
  const parsed = parseOrThrow(pipelineDefinitionSchema, raw, path);
  return { definition: normalizeDefinition(parsed, options.seed), file };
}

function parseText(file: string, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    throw new TwinforgeError('CONFIG_INVALID', `${file} is not valid: ${(error as Error).message}`, {
      cause: error,
      details: { file },
    });
  }
}

/** A .ts/.js file outside an ESM package is loaded as CommonJS, where `import` of ESM plugins can fail oddly. */
function moduleTypeHint(file: string): string {
  if (file.endsWith('.mts') || file.endsWith('.mjs')) return '';
  let dir = dirname(file);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const type = (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type;
      return type === 'module'
        ? ''
        : ` (hint: ${pkg} does not say "type": "module", so the file loads as CommonJS; rename it to .mts or add the type)`;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return ' (hint: no package.json with "type": "module" above it, so the file loads as CommonJS; rename it to .mts or add one)';
    }
    dir = parent;
  }
}

let tsxRegistered = false;

/** Imports pipeline.ts through tsx's loader hooks (registered once, process-wide, so imports share module instances). */
async function importPipelineModule(file: string, seed: number | undefined): Promise<unknown> {
  if (!tsxRegistered && (file.endsWith('.ts') || file.endsWith('.mts'))) {
    const { register } = await import('tsx/esm/api');
    register();
    tsxRegistered = true;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TwinforgeError(
      'CONFIG_INVALID',
      `pipeline file ${file} failed to import: ${String(error)}${moduleTypeHint(file)}`,
      { cause: error, details: { file } },
    );
  }
  const exported = mod.default ?? mod.pipeline;
  if (exported === undefined) {
    throw new TwinforgeError(
      'CONFIG_INVALID',
      `pipeline file ${file} has no default export: export default definePipeline({ environment, episodes, ... })`,
      { details: { file } },
    );
  }
  return typeof exported === 'function' ? await (exported as (a: { seed?: number }) => unknown)({ seed }) : exported;
}
