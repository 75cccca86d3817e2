import type { z } from 'zod';
import { TwinforgeError } from './errors.js';

/**
 * Validates `input` against a zod schema and returns the parsed value.
 * On failure throws CONFIG_INVALID whose message names every failing field path, e.g.
 * `invalid config for environment "toy-channel": channels: Too small: expected number to be >=2`.
 */
export function validateConfig<S extends z.ZodType>(schema: S, input: unknown, what = 'config'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  throw new TwinforgeError('CONFIG_INVALID', `invalid ${what}: ${lines.join('; ')}`, {
    details: { issues, fields: issues.map((i) => i.path) },
  });
}

/** `['links', 3, 'bandwidth']` → `links[3].bandwidth`; the empty path is the config itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
