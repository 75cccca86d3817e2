import { isAbsolute, relative } from 'node:path';

/** Relative to the working directory when inside it, else absolute: what messages show. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
