import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { API_VERSION, CORE_VERSION, type PluginManifest } from '@twinforge/core';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The CLI's own version (src/util and dist/util are both two levels below package.json). */
export function cliVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** What run.json records so a run can be traced to the code that produced it. */
export function collectVersions(plugins: readonly PluginManifest[]): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    '@twinforge/cli': cliVersion(),
    '@twinforge/core': CORE_VERSION,
    apiVersion: API_VERSION,
    '@twinforge/data': packageVersion('@twinforge/data'),
    plugins: Object.fromEntries(plugins.map((p) => [p.name, p.version])),
  };
}
