import { z } from 'zod';
import { formatPath } from '../config.js';
import { TwinforgeError } from '../errors.js';
import { manifestSchema, type PluginManifest } from '../plugin/manifest.js';

/** Strict manifest validation; the message names the plugin and every failing field (unknown keys included). */
export function parseManifest(raw: unknown, label: string): PluginManifest {
  const result = manifestSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
      return `${where}unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });
  throw new TwinforgeError(
    'PLUGIN_MANIFEST_INVALID',
    `plugin ${label} has an invalid manifest: ${problems.join('; ')}`,
    {
      details: { plugin: label, problems },
    },
  );
}

export const runOptionsSchema = z.strictObject({
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  episodes: z.number().int().min(1),
  maxStepsPerEpisode: z.number().int().min(1).default(10_000),
  signal: z.instanceof(AbortSignal).optional(),
  runId: z.string().min(1).optional(),
});
