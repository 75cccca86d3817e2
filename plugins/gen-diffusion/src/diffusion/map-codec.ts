import { TwinforgeError } from '@twinforge/core';
import { z } from 'zod';

/**
 * Physical map values ⇄ the [−1, 1] range the diffusion model works in: an affine map sending `lo` to −1 and `hi`
 * to 1 (DDPM's data scaling). For jamming maps lo is the −150 dBm floor, so "no jammer reaches this cell" is −1.
 */
export const mapCodecSchema = z
  .strictObject({
    /** Dataset column, e.g. 'jamming_dBm_16'. */
    column: z.string().min(1),
    /** Name of the map in generated scenarios, e.g. 'jamming_dBm' (the tactical mesh reads that one). */
    name: z.string().min(1),
    unit: z.string().min(1),
    lo: z.number(),
    hi: z.number(),
  })
  .refine((c) => c.hi > c.lo, { message: 'hi must be > lo', path: ['hi'] });
export type MapCodec = z.output<typeof mapCodecSchema>;

export function encodeMap(codec: MapCodec, values: ArrayLike<number>, out: Float32Array, offset = 0): void {
  const scale = 2 / (codec.hi - codec.lo);
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v)) throw new TwinforgeError('NUMERIC_INVALID', `map value ${k} is ${v}`);
    out[offset + k] = (v - codec.lo) * scale - 1;
  }
}

export function decodeMap(codec: MapCodec, values: ArrayLike<number>): Float32Array {
  const half = (codec.hi - codec.lo) / 2;
  const out = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = ((values[k] as number) + 1) * half + codec.lo;
  return out;
}
