import { TwinforgeError } from '@twinforge/core';

/**
 * Nearest-neighbour upsampling of a row-major width×height map by an integer `factor`: every cell becomes a
 * factor×factor block of its value. Values are copied, never mixed, so a map of a physical field (e.g. dBm with a
 * forbidden band) stays inside the values it had; a cascade's second stage renders the detail.
 */
export function upsampleNearest(map: ArrayLike<number>, width: number, height: number, factor: number): Float32Array {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new TwinforgeError('INVALID_ARGUMENT', `upsampling factor must be an integer >= 1, got ${factor}`);
  }
  if (map.length !== width * height) {
    throw new TwinforgeError('INVALID_ARGUMENT', `map has ${map.length} values, not ${width}x${height}`);
  }
  const w2 = width * factor;
  const out = new Float32Array(w2 * height * factor);
  for (let r = 0; r < height * factor; r++) {
    const src = Math.floor(r / factor) * width;
    for (let c = 0; c < w2; c++) out[r * w2 + c] = map[src + Math.floor(c / factor)] as number;
  }
  return out;
}
