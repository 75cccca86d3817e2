import { z } from 'zod';

/** Identifies the file kind; bump CHECKPOINT_FORMAT_VERSION on any incompatible layout change. */
export const CHECKPOINT_FORMAT = 'twinforge-weights';
export const CHECKPOINT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const tensorEntrySchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  /** Byte offset of the first value in the data file. */
  offset: z.number().int().nonnegative(),
  byteLength: z.number().int().nonnegative(),
});

/**
 * manifest.json of a weight checkpoint: every tensor's name, shape and byte range in one little-endian float32 data
 * file, and that file's SHA-256. Little-endian float32 bytes are what every tfjs backend reads and writes, so a
 * checkpoint saved on wasm loads on cpu or tfjs-node unchanged.
 */
export const manifestSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  formatVersion: z.number().int().positive(),
  byteOrder: z.literal('little-endian'),
  /** Data file name, content-addressed (weights-<sha256 prefix>.bin) so a new save never overwrites the old one. */
  dataFile: z.string().regex(/^weights-[0-9a-f]{16}\.bin$/),
  byteLength: z.number().int().nonnegative(),
  checksum: z.strictObject({ algorithm: z.literal('sha256'), value: z.string().regex(/^[0-9a-f]{64}$/) }),
  tensors: z.array(tensorEntrySchema),
  /** Free-form JSON the caller stored with the weights (step counts, configs). */
  metadata: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.string().optional(),
});
export type WeightsManifest = z.output<typeof manifestSchema>;
export type TensorEntry = z.output<typeof tensorEntrySchema>;
