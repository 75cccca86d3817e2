import semver from 'semver';
import { builtinPlugin } from '../builtin/plugin.js';
import { TwinforgeError } from '../errors.js';
import type { TwinforgePlugin } from '../plugin/define-plugin.js';
import { isPluginShape, loadPluginByName, toDirectory } from '../plugin/load-plugin.js';
import type { PluginManifest } from '../plugin/manifest.js';
import { parseManifest } from './plugin-errors.js';

/** A plugin as given to createHost: an object, a package name, or either with options for `register`. */
export type PluginSpec =
  | TwinforgePlugin<never>
  | string
  | { readonly plugin: TwinforgePlugin<never> | string; readonly options?: unknown };

export interface PreparedPlugin {
  manifest: PluginManifest;
  plugin: TwinforgePlugin;
  options: unknown;
}

/**
 * Steps 1-4 of start-up, before anything registers: load, validate manifests strictly, check apiVersion,
 * reject duplicate names, and order by dependsOn (stable: otherwise the order given).
 */
export async function preparePlugins(
  options: { plugins?: readonly PluginSpec[]; resolveFrom?: string | URL; builtins?: boolean },
  apiVersion: string,
): Promise<PreparedPlugin[]> {
  const from = toDirectory(options.resolveFrom ?? process.cwd());
  const specs: PluginSpec[] = [...(options.builtins === false ? [] : [builtinPlugin]), ...(options.plugins ?? [])];
  const prepared: PreparedPlugin[] = [];
  for (const spec of specs) {
    const inner = typeof spec === 'object' && 'plugin' in spec && !('manifest' in spec) ? spec : { plugin: spec };
    const target = inner.plugin as TwinforgePlugin | string;
    let plugin: TwinforgePlugin;
    let packageJson: { name: string; version: string } | undefined;
    if (typeof target === 'string') {
      ({ plugin, packageJson } = await loadPluginByName(target, from));
    } else if (isPluginShape(target)) {
      plugin = target;
    } else {
      throw new TwinforgeError('PLUGIN_INVALID', 'a plugin must be an object from definePlugin() or a package name');
    }
    const label = typeof target === 'string' ? `"${target}"` : `"${String(plugin.manifest.name ?? '(unnamed)')}"`;
    const manifest = parseManifest(plugin.manifest, label);
    if (packageJson && (packageJson.name !== manifest.name || packageJson.version !== manifest.version)) {
      throw new TwinforgeError(
        'PLUGIN_NAME_MISMATCH',
        `plugin ${label}: manifest says ${manifest.name}@${manifest.version} but package.json says ` +
          `${packageJson.name}@${packageJson.version}; they must be equal`,
      );
    }
    if (!semver.satisfies(apiVersion, manifest.apiVersion, { includePrerelease: true })) {
      throw new TwinforgeError(
        'PLUGIN_API_MISMATCH',
        `plugin "${manifest.name}" needs @twinforge/core API ${manifest.apiVersion}, but this host provides ` +
          `${apiVersion}; install a version of the plugin built for API ${semver.major(apiVersion)}.x`,
        { details: { plugin: manifest.name, wanted: manifest.apiVersion, actual: apiVersion } },
      );
    }
    if (prepared.some((p) => p.manifest.name === manifest.name)) {
      throw new TwinforgeError('PLUGIN_DUPLICATE_NAME', `plugin "${manifest.name}" is listed twice`, {
        details: { plugin: manifest.name },
      });
    }
    prepared.push({ manifest, plugin, options: 'options' in inner ? inner.options : undefined });
  }
  return orderByDependencies(prepared);
}

function orderByDependencies(plugins: PreparedPlugin[]): PreparedPlugin[] {
  const byName = new Map(plugins.map((p) => [p.manifest.name, p]));
  for (const p of plugins) {
    for (const dep of p.manifest.dependsOn) {
      if (!byName.has(dep)) {
        throw new TwinforgeError(
          'PLUGIN_MISSING_DEPENDENCY',
          `plugin "${p.manifest.name}" depends on "${dep}", which is not in the plugin list; add it to createHost({ plugins })`,
          { details: { plugin: p.manifest.name, missing: dep } },
        );
      }
    }
  }
  const ordered: PreparedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: PreparedPlugin, chain: string[]): void => {
    const name = p.manifest.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new TwinforgeError(
        'PLUGIN_DEPENDENCY_CYCLE',
        `plugins depend on each other: ${[...chain, name].join(' → ')}`,
      );
    }
    state.set(name, 'visiting');
    for (const dep of p.manifest.dependsOn) visit(byName.get(dep) as PreparedPlugin, [...chain, name]);
    state.set(name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}
