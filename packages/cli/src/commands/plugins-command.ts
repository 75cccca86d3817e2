import {
  API_VERSION,
  builtinPlugin,
  createHost,
  listInstalledPlugins,
  loadPluginByName,
  manifestSchema,
  type PluginManifest,
} from '@twinforge/core';
import semver from 'semver';
import { z } from 'zod';
import type { Io } from '../util/io.js';
import { renderTable } from '../util/table.js';

export interface PluginRow {
  name: string;
  version: string;
  apiVersion: string;
  /** Whether this host's API_VERSION satisfies the plugin's range. */
  compatible: boolean;
  provides: { environments: string[]; generators: string[]; learners: string[] };
  error?: string;
}

function row(manifest: PluginManifest): PluginRow {
  return {
    name: manifest.name,
    version: manifest.version,
    apiVersion: manifest.apiVersion,
    compatible: semver.satisfies(API_VERSION, manifest.apiVersion, { includePrerelease: true }),
    provides: {
      environments: [...manifest.provides.environments],
      generators: [...manifest.provides.generators],
      learners: [...manifest.provides.learners],
    },
  };
}

/** Core's built-ins plus every installed package that looks like a plugin, loaded to read its manifest. */
export async function listPlugins(cwd: string): Promise<PluginRow[]> {
  const rows: PluginRow[] = [row(manifestSchema.parse(builtinPlugin.manifest))];
  for (const name of listInstalledPlugins(cwd)) {
    try {
      const { plugin } = await loadPluginByName(name, cwd);
      const parsed = manifestSchema.safeParse(plugin.manifest);
      if (parsed.success) rows.push(row(parsed.data));
      else rows.push({ ...emptyRow(name), error: `invalid manifest: ${parsed.error.issues[0]?.message ?? ''}` });
    } catch (error) {
      rows.push({ ...emptyRow(name), error: (error as Error).message });
    }
  }
  return rows;
}

function emptyRow(name: string): PluginRow {
  return {
    name,
    version: '?',
    apiVersion: '?',
    compatible: false,
    provides: { environments: [], generators: [], learners: [] },
  };
}

export async function pluginsListCommand(options: { json: boolean }, io: Io): Promise<number> {
  const rows = await listPlugins(io.cwd);
  if (options.json) {
    io.out.write(`${JSON.stringify({ apiVersion: API_VERSION, plugins: rows }, null, 2)}\n`);
    return 0;
  }
  io.out.write(`host plugin API ${API_VERSION}\n`);
  io.out.write(
    `${renderTable(
      ['plugin', 'version', 'api', 'compatible', 'environments', 'generators', 'learners'],
      rows.map((r) => [
        r.name,
        r.version,
        r.apiVersion,
        r.error ? 'cannot load' : r.compatible ? 'yes' : 'no',
        r.provides.environments.join(', '),
        r.provides.generators.join(', '),
        r.provides.learners.join(', '),
      ]),
    )}\n`,
  );
  for (const r of rows.filter((x) => x.error)) io.out.write(`${r.name}: ${r.error}\n`);
  return 0;
}

export interface ContributionInfo {
  kind: 'environment' | 'generator' | 'learner';
  id: string;
  description?: string;
  supports?: readonly string[];
  /** JSON Schema of the config (input side: optional fields show their defaults). */
  config: unknown;
}

function configSchemaJson(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return { note: 'schema not representable as JSON Schema' };
  }
}

/**
 * Starts a host with the plugin (and what it depends on) to list its contributions with their config fields.
 * An unknown name fails with PLUGIN_NOT_FOUND and the closest installed plugin as a hint.
 */
export async function pluginInfo(
  name: string,
  cwd: string,
): Promise<{ plugin: PluginRow; contributions: ContributionInfo[] }> {
  const builtin = name === builtinPlugin.manifest.name || name === 'core' || name === 'builtin';
  const manifest = builtin
    ? manifestSchema.parse(builtinPlugin.manifest)
    : manifestSchema.parse((await loadPluginByName(name, cwd)).plugin.manifest);
  const info = row(manifest);
  if (!info.compatible) return { plugin: info, contributions: [] };
  const host = await createHost({
    plugins: builtin ? [] : [...manifest.dependsOn, name],
    resolveFrom: cwd,
  });
  try {
    const contributions: ContributionInfo[] = [];
    const mine = (plugin: string) => plugin === manifest.name;
    for (const e of host.environments.list().filter((x) => mine(x.plugin))) {
      contributions.push({
        kind: 'environment',
        id: e.id,
        ...(e.contribution.description ? { description: e.contribution.description } : {}),
        config: configSchemaJson(e.contribution.configSchema),
      });
    }
    for (const g of host.generators.list().filter((x) => mine(x.plugin))) {
      contributions.push({
        kind: 'generator',
        id: g.id,
        ...(g.contribution.description ? { description: g.contribution.description } : {}),
        config: configSchemaJson(g.contribution.configSchema),
      });
    }
    for (const l of host.learners.list().filter((x) => mine(x.plugin))) {
      contributions.push({
        kind: 'learner',
        id: l.id,
        ...(l.contribution.description ? { description: l.contribution.description } : {}),
        ...(l.contribution.supports ? { supports: l.contribution.supports } : {}),
        config: configSchemaJson(l.contribution.configSchema),
      });
    }
    return { plugin: info, contributions };
  } finally {
    await host.dispose();
  }
}

const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `[min, max]` with open ends for exclusive bounds; empty when the field has none. */
function range(p: Record<string, unknown>): string {
  const lo = p.exclusiveMinimum ?? p.minimum;
  const hi = p.exclusiveMaximum ?? p.maximum;
  const unbounded = (v: unknown) => v === undefined || Math.abs(Number(v)) >= Number.MAX_SAFE_INTEGER;
  if (unbounded(lo) && unbounded(hi)) return '';
  const left = unbounded(lo) ? '(-inf' : `${p.exclusiveMinimum !== undefined ? '(' : '['}${String(lo)}`;
  const right = unbounded(hi) ? 'inf)' : `${String(hi)}${p.exclusiveMaximum !== undefined ? ')' : ']'}`;
  return ` in ${left}, ${right}`;
}

/** `field: type in [lo, hi] = default` lines from a JSON Schema object. */
function describeFields(schema: unknown): string[] {
  const s = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([field, p]) => {
    const type = Array.isArray(p.enum) ? p.enum.map((v) => JSON.stringify(v)).join(' | ') : String(p.type ?? 'any');
    const def =
      'default' in p ? ` = ${clip(JSON.stringify(p.default))}` : required.has(field) ? ' (required)' : ' (optional)';
    return `${field}: ${type}${range(p)}${def}`;
  });
}

export async function pluginsInfoCommand(name: string, options: { json: boolean }, io: Io): Promise<number> {
  const { plugin, contributions } = await pluginInfo(name, io.cwd);
  if (options.json) {
    io.out.write(`${JSON.stringify({ plugin, contributions }, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${plugin.name}@${plugin.version}`,
    `  plugin API ${plugin.apiVersion}: ${plugin.compatible ? `compatible with this host (${API_VERSION})` : `NOT compatible with this host (${API_VERSION}); install a version built for API ${semver.major(API_VERSION)}.x`}`,
  ];
  for (const c of contributions) {
    lines.push(`  ${c.kind} ${c.id}${c.description ? `: ${c.description}` : ''}`);
    if (c.supports) lines.push(`    supports: ${c.supports.join(', ')}`);
    const fields = describeFields(c.config);
    lines.push(fields.length > 0 ? '    config:' : '    config: (none)');
    for (const f of fields) lines.push(`      ${f}`);
  }
  io.out.write(`${lines.join('\n')}\n`);
  return 0;
}
