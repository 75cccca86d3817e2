import { formatPath, TwinforgeError } from '@twinforge/core';
import type { z } from 'zod';
import { readCheckpoint } from './checkpoint.js';

/**
 * Validates a checkpoint's metadata (what a model or learner stored beside its weights with `saveWeights`) against
 * `schema`. Every model's loader needs the same check before it trusts a kind, a version or a config, and the same
 * error: `CHECKPOINT_INVALID` naming the directory, what was expected and each failing field as `metadata.<path>`.
 */
export function parseCheckpointMetadata<S extends z.ZodType>(
  dir: string,
  metadata: unknown,
  schema: S,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(metadata ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `metadata.${formatPath(i.path)}: ${i.message}`);
    throw new TwinforgeError('CHECKPOINT_INVALID', `${dir} is not ${what} checkpoint: ${issues.join('; ')}`, {
      details: { dir, issues },
    });
  }
  return parsed.data;
}

/** Reads a checkpoint's manifest (checked as by `readCheckpoint`) and validates its metadata with `schema`. */
export async function readCheckpointMetadata<S extends z.ZodType>(
  dir: string,
  schema: S,
  what: string,
): Promise<z.output<S>> {
  const { manifest } = await readCheckpoint(dir);
  return parseCheckpointMetadata(dir, manifest.metadata, schema, what);
}
