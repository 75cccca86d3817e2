import { formatPath, TwinforgeError } from '@twinforge/core';
import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path from the file's root, e.g. `evaluation.baselines[0].id` or `environment.config.chanels`. */
  path: string;
  message: string;
}

function join(prefix: string, path: readonly PropertyKey[]): string {
  const rest = path.length === 0 ? '' : formatPath(path);
  if (prefix === '') return rest === '' ? '(root)' : rest;
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** zod issues as field paths; an unknown key is reported at its own path ("unknown field"), not at its parent. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: join(prefix, [...issue.path, key]), message: 'unknown field' }))
      : [{ path: join(prefix, issue.path), message: issue.message }],
  );
}

/** Parses or throws CONFIG_INVALID whose message names every failing field of `file`. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  file: string,
  prefix = '',
  hint = '',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error, prefix);
  throw new TwinforgeError(
    'CONFIG_INVALID',
    `invalid pipeline config ${file}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}${hint}`,
    { details: { file, issues, fields: issues.map((i) => i.path) } },
  );
}
