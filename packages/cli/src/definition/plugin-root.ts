import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { listInstalledPlugins, pluginPackageCandidates } from '@twinforge/core';

function installedFrom(name: string, from: string): boolean {
  for (const candidate of pluginPackageCandidates(name)) {
    let dir = resolve(from);
    for (;;) {
      if (existsSync(join(dir, 'node_modules', candidate, 'package.json'))) return true;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return false;
}

/**
 * Where plugins named by package are resolved: the pipeline file's directory (its project), or else the current
 * directory, whichever has them all installed; a config kept outside a project (/tmp/x.yaml) then still finds the
 * plugins of the project it is run from. When neither has them, the one with any plugins installed is used, so the
 * "did you mean" hint has candidates.
 */
export function pluginRoot(names: readonly string[], fileDir: string, cwd: string): string {
  const roots = [fileDir, cwd];
  const complete = roots.find((root) => names.every((n) => installedFrom(n, root)));
  if (complete) return complete;
  return roots.find((root) => listInstalledPlugins(root).length > 0) ?? fileDir;
}
