import { jsDivergence } from '../stats/divergence.js';
import { histogram } from '../stats/histogram.js';
import { wasserstein1 } from '../stats/wasserstein.js';
import { checkMapSet, type MapSet, sameShape, valueRange } from './map-set.js';

export interface PixelMarginalOptions {
  /** Histogram bins for the JS divergence (default 32). */
  readonly bins?: number;
  /** Value range of the histograms; default the range of both sets together. */
  readonly range?: readonly [number, number];
}

export interface PixelMarginalDistances {
  /** Mean over cells of the JS divergence (bits) between the two sets' histograms of that cell. */
  readonly js: number;
  /** Mean over cells of the Wasserstein-1 distance between the two sets' values of that cell (map units). */
  readonly w1: number;
  /** The worst cell's JS and W1 (where a model fails locally, e.g. at the gateway). */
  readonly jsMax: number;
  readonly w1Max: number;
}

/**
 * Per-pixel marginals: for every cell, the distribution of its value across the maps of each set, compared by JS
 * divergence (histograms on a shared range) and by Wasserstein-1 (exact, in the maps' unit). Sensitive to
 * intensity and location statistics, blind to spatial structure (the semivariogram and spectrum cover that).
 */
export function pixelMarginalDistances(
  real: MapSet,
  generated: MapSet,
  options: PixelMarginalOptions = {},
): PixelMarginalDistances {
  checkMapSet(real, 'real maps');
  checkMapSet(generated, 'generated maps');
  sameShape(real, generated, 'pixel marginals');
  const bins = options.bins ?? 32;
  let [lo, hi] = options.range ?? valueRange(real, generated);
  if (!(hi > lo)) hi = lo + 1;
  const cells = real.width * real.height;
  const a = new Float64Array(real.maps.length);
  const b = new Float64Array(generated.maps.length);
  let js = 0;
  let w1 = 0;
  let jsMax = 0;
  let w1Max = 0;
  for (let c = 0; c < cells; c++) {
    for (let i = 0; i < a.length; i++) a[i] = (real.maps[i] as Float32Array)[c] as number;
    for (let i = 0; i < b.length; i++) b[i] = (generated.maps[i] as Float32Array)[c] as number;
    const j = jsDivergence(histogram(a, bins, lo, hi), histogram(b, bins, lo, hi));
    const w = wasserstein1(a, b);
    js += j;
    w1 += w;
    jsMax = Math.max(jsMax, j);
    w1Max = Math.max(w1Max, w);
  }
  return { js: js / cells, w1: w1 / cells, jsMax, w1Max };
}
