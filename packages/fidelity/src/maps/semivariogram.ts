import { TwinforgeError } from '@twinforge/core';
import { checkMapSet, type MapSet, sameShape } from './map-set.js';

/**
 * Empirical semivariogram γ(h) = ½ E[(Z(s) − Z(s + h))²] for lags h = 1..maxLag cells along rows and columns
 * (axis-aligned pairs pooled: isotropic to the grid), averaged over the maps of the set. The geostatistics summary of
 * spatial correlation: how fast values decorrelate with distance (hot-spot size, edge sharpness).
 * Index 0 of the result is lag 1.
 */
export function semivariogram(set: MapSet, maxLag?: number): Float64Array {
  checkMapSet(set, 'semivariogram maps');
  const { width: w, height: h } = set;
  const L = maxLag ?? Math.floor(Math.min(w, h) / 2);
  if (!Number.isInteger(L) || L < 1 || L >= Math.max(w, h)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `maxLag must be an integer in [1, ${Math.max(w, h) - 1}], got ${L}`);
  }
  const gamma = new Float64Array(L);
  const pairs = new Float64Array(L);
  for (const m of set.maps) {
    for (let lag = 1; lag <= L; lag++) {
      let s = 0;
      let n = 0;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c + lag < w; c++) {
          const d = (m[r * w + c] as number) - (m[r * w + c + lag] as number);
          s += d * d;
          n++;
        }
      }
      for (let r = 0; r + lag < h; r++) {
        for (let c = 0; c < w; c++) {
          const d = (m[r * w + c] as number) - (m[(r + lag) * w + c] as number);
          s += d * d;
          n++;
        }
      }
      gamma[lag - 1] = (gamma[lag - 1] as number) + 0.5 * s;
      pairs[lag - 1] = (pairs[lag - 1] as number) + n;
    }
  }
  for (let k = 0; k < L; k++) gamma[k] = (gamma[k] as number) / Math.max(1, pairs[k] as number);
  return gamma;
}

/**
 * Relative L1 distance between the mean semivariograms of two sets: Σ_h |γ_r(h) − γ_g(h)| / Σ_h γ_r(h).
 * 0 for identical spatial statistics; 1 when the generated maps are flat where the real ones vary.
 */
export function semivariogramDistance(real: MapSet, generated: MapSet, maxLag?: number): number {
  sameShape(real, generated, 'semivariogram distance');
  const a = semivariogram(real, maxLag);
  const b = semivariogram(generated, maxLag);
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += Math.abs((a[k] as number) - (b[k] as number));
    den += a[k] as number;
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return num / den;
}
