import { z } from 'zod';
import type { RngState } from './rng.js';

/** An `RngState` inside stored JSON (checkpoint metadata): what `Rng.fromState` accepts. */
export const rngStateSchema: z.ZodType<RngState> = z.strictObject({
  seed: z.number().int().nonnegative(),
  path: z.string(),
  words: z.array(z.number().int()).length(4),
});
