import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TwinforgeError } from '../errors.js';
import { closest, didYouMean } from '../suggest.js';
import type { TwinforgePlugin } from './define-plugin.js';

export interface LoadedPlugin {
  plugin: TwinforgePlugin;
  /** The package that provided it, when loaded by name: its manifest must agree with package.json. */
  packageJson?: { name: string; version: string };
}

/**
 * Package names a user may write for a plugin: `x` → `twinforge-plugin-x`, `@scope/x` → `@scope/twinforge-plugin-x`;
 * names that already follow the convention (and first-party `@twinforge/plugin-x`) are taken as they are.
 */
export function pluginPackageCandidates(name: string): string[] {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(name);
  const scope = scoped?.[1];
  const bare = scoped ? (scoped[2] as string) : name;
  if (bare.startsWith('twinforge-plugin-') || (scope === '@twinforge' && bare.startsWith('plugin-'))) return [name];
  const expanded = scope ? `${scope}/twinforge-plugin-${bare}` : `twinforge-plugin-${bare}`;
  const out = [expanded];
  if (scope === '@twinforge') out.push(`@twinforge/plugin-${bare}`);
  out.push(name);
  return out;
}

/** Loads a plugin package by name, resolving it from `from` (a directory; the caller's project). */
export async function loadPluginByName(name: string, from: string = process.cwd()): Promise<LoadedPlugin> {
  const base = resolve(from);
  for (const candidate of pluginPackageCandidates(name)) {
    const pkgDir = findPackageDir(candidate, base);
    if (!pkgDir) continue;
    const entry = resolveEntry(candidate, pkgDir, base);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    } catch (cause) {
      throw new TwinforgeError('PLUGIN_INVALID', `plugin package "${candidate}" failed to import: ${String(cause)}`, {
        cause,
        details: { package: candidate, entry },
      });
    }
    const plugin = (mod.default ?? mod.plugin) as TwinforgePlugin | undefined;
    if (!isPluginShape(plugin)) {
      throw new TwinforgeError(
        'PLUGIN_INVALID',
        `package "${candidate}" does not export a plugin: export default definePlugin({ manifest, register })`,
        { details: { package: candidate } },
      );
    }
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string };
    return { plugin, packageJson: { name: pkg.name, version: pkg.version } };
  }
  const installed = listInstalledPlugins(base);
  throw new TwinforgeError(
    'PLUGIN_NOT_FOUND',
    `plugin "${name}" is not installed (looked for ${pluginPackageCandidates(name).join(', ')} from ${base}).` +
      `${suggestPlugin(name, installed)} Install it with npm install ${pluginPackageCandidates(name)[0]}`,
    { details: { name, installed } },
  );
}

/** Compares what the user typed with installed names in both long and short form ("example" ~ "twinforge-plugin-example"). */
function suggestPlugin(name: string, installed: readonly string[]): string {
  const short = (n: string) => n.replace(/(^|\/)(twinforge-plugin-|plugin-)/, '$1');
  const byShort = new Map(installed.map((n) => [short(n), n]));
  const hint = closest(short(name), byShort.keys());
  return hint === undefined ? didYouMean(name, installed) : ` Did you mean "${byShort.get(hint)}"?`;
}

export function isPluginShape(value: unknown): value is TwinforgePlugin {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<TwinforgePlugin>;
  return typeof v.manifest === 'object' && v.manifest !== null && typeof v.register === 'function';
}

/** Walks up node_modules folders the way Node does. */
function findPackageDir(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The ESM entry: Node's resolver through `exports` when it allows it, else `exports`/`module`/`main` by hand. */
function resolveEntry(name: string, pkgDir: string, from: string): string {
  try {
    return createRequire(join(from, 'noop.js')).resolve(name);
  } catch {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      exports?: unknown;
      module?: string;
      main?: string;
    };
    const target = pickExport(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
    return join(pkgDir, target);
  }
}

function pickExport(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const record = exports as Record<string, unknown>;
  const root = '.' in record ? record['.'] : record;
  if (typeof root === 'string') return root;
  if (typeof root !== 'object' || root === null) return undefined;
  const conditions = root as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const picked = pickExport(conditions[key]);
    if (picked) return picked;
  }
  return undefined;
}

/** Installed packages that look like plugins (name convention or the `twinforge-plugin` keyword), for hints. */
export function listInstalledPlugins(from: string = process.cwd()): string[] {
  const found = new Set<string>();
  let dir = resolve(from);
  for (;;) {
    const nm = join(dir, 'node_modules');
    if (existsSync(nm)) {
      for (const entry of safeReaddir(nm)) {
        const names = entry.startsWith('@') ? safeReaddir(join(nm, entry)).map((n) => `${entry}/${n}`) : [entry];
        for (const n of names) if (looksLikePlugin(join(nm, n), n)) found.add(n);
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...found].sort();
}

function looksLikePlugin(dir: string, name: string): boolean {
  if (/(^|\/)(twinforge-plugin-|plugin-)/.test(name) && name.includes('twinforge')) return true;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { keywords?: unknown };
    return Array.isArray(pkg.keywords) && pkg.keywords.includes('twinforge-plugin');
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Directory of a file URL (for `resolveFrom: import.meta.url`). */
export function toDirectory(from: string | URL): string {
  const s = typeof from === 'string' ? from : from.href;
  if (s.startsWith('file:')) {
    const path = fileURLToPath(s);
    return existsSync(path) && !path.endsWith('.js') && !path.endsWith('.ts') ? path : dirname(path);
  }
  return s;
}
