import { z } from 'zod';

/**
 * The metadata schema of a trained model's checkpoint (what the generative models store beside their weights with
 * `saveWeights`): its `kind`, a format `version` among those the loader still reads, its `config` (left unknown here:
 * each model validates it with its own schema, so that errors name its fields), a summary of the last training, and
 * free-form `extra` JSON such as the dataset's units. Use with `readCheckpointMetadata`.
 */
export function modelCheckpointSchema<V extends number>(kind: string, versions: readonly [V, ...V[]]) {
  return z.object({
    kind: z.literal(kind),
    version: z.literal(versions),
    config: z.unknown(),
    training: z.object({ steps: z.number().int().nonnegative(), finalLoss: z.number() }).nullish(),
    extra: z.record(z.string(), z.unknown()).nullish(),
  });
}
