import { isTwinforgeError } from '@twinforge/core';

/** Exit codes, following CLI conventions. */
export const EXIT = {
  ok: 0,
  /** A TwinforgeError or any other failure of the work itself. */
  failure: 1,
  /** The command line was wrong (unknown option, bad number, unsupported flag value). */
  usage: 2,
  /** The work ran but a threshold given on the command line was missed (e.g. `fidelity maps --max-mmd-ratio 2`). */
  gateFailed: 3,
  /** 128 + SIGINT: stopped by Ctrl-C; the partial results are consistent. */
  interrupted: 130,
} as const;

/** A mistake in the command line itself: exits 2 with the command's usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function causes(error: unknown): string[] {
  const out: string[] = [];
  let current = (error as { cause?: unknown }).cause;
  while (current !== undefined && out.length < 5) {
    out.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * The one-line message a user sees: `error [CODE]: message` for TwinforgeErrors (the code is stable, for scripts
 * and searches); `--verbose` adds the stack and the chain of causes.
 */
export function formatError(error: unknown, verbose: boolean): string {
  const head = isTwinforgeError(error)
    ? `error [${error.code}]: ${error.message}`
    : error instanceof UsageError
      ? `usage error: ${error.message}`
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  if (!verbose) {
    const hint = isTwinforgeError(error) || error instanceof UsageError ? '' : ' (run with --verbose for the stack)';
    return `twinforge: ${head}${hint}`;
  }
  const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
  const chain = causes(error)
    .map((c) => `\ncaused by: ${c}`)
    .join('');
  return `twinforge: ${head}${stack}${chain}`;
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT.usage : EXIT.failure;
}
