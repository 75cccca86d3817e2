import { checkMapSet, type MapSet, sameShape } from './map-set.js';

/** Real and imaginary parts of the 1-D DFT of `x` (length n), with a precomputed twiddle table. */
function dft(
  re: Float64Array,
  im: Float64Array,
  n: number,
  cos: Float64Array,
  sin: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const idx = (k * t) % n;
      const c = cos[idx] as number;
      const s = sin[idx] as number;
      // (re + i·im)·(cos − i·sin)
      sr += (re[t] as number) * c + (im[t] as number) * s;
      si += (im[t] as number) * c - (re[t] as number) * s;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
}

function twiddles(n: number): [Float64Array, Float64Array] {
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    c[k] = Math.cos((2 * Math.PI * k) / n);
    s[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return [c, s];
}

/**
 * Radially averaged power spectrum: the 2-D DFT of each map with its mean removed (separable, O(w·h·(w+h))),
 * |F(u, v)|² / (w·h) averaged over maps and over the frequencies whose radius √(u² + v²) (in cycles per map, with
 * aliased frequencies folded to [−n/2, n/2)) rounds to r, for r = 1..⌊min(w, h)/2⌋. Index 0 is radius 1 (the DC
 * term is dropped with the mean). Describes how energy is spread over spatial scales: blurry generated maps lose
 * the high radii, noisy ones gain them.
 */
export function radialPowerSpectrum(set: MapSet): Float64Array {
  checkMapSet(set, 'power-spectrum maps');
  const { width: w, height: h } = set;
  const R = Math.floor(Math.min(w, h) / 2);
  const power = new Float64Array(R);
  const counts = new Float64Array(R);
  const [cw, sw] = twiddles(w);
  const [ch, sh] = twiddles(h);
  const re = new Float64Array(w * h);
  const im = new Float64Array(w * h);
  const rowRe = new Float64Array(Math.max(w, h));
  const rowIm = new Float64Array(Math.max(w, h));
  const outRe = new Float64Array(Math.max(w, h));
  const outIm = new Float64Array(Math.max(w, h));
  for (const m of set.maps) {
    let mean = 0;
    for (let k = 0; k < m.length; k++) mean += m[k] as number;
    mean /= m.length;
    for (let k = 0; k < m.length; k++) {
      re[k] = (m[k] as number) - mean;
      im[k] = 0;
    }
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        rowRe[c] = re[r * w + c] as number;
        rowIm[c] = im[r * w + c] as number;
      }
      dft(rowRe, rowIm, w, cw, sw, outRe, outIm);
      for (let c = 0; c < w; c++) {
        re[r * w + c] = outRe[c] as number;
        im[r * w + c] = outIm[c] as number;
      }
    }
    for (let c = 0; c < w; c++) {
      for (let r = 0; r < h; r++) {
        rowRe[r] = re[r * w + c] as number;
        rowIm[r] = im[r * w + c] as number;
      }
      dft(rowRe, rowIm, h, ch, sh, outRe, outIm);
      for (let r = 0; r < h; r++) {
        re[r * w + c] = outRe[r] as number;
        im[r * w + c] = outIm[r] as number;
      }
    }
    for (let v = 0; v < h; v++) {
      const fv = v < h / 2 ? v : v - h;
      for (let u = 0; u < w; u++) {
        const fu = u < w / 2 ? u : u - w;
        const rad = Math.round(Math.hypot(fu, fv));
        if (rad < 1 || rad > R) continue;
        const p = ((re[v * w + u] as number) ** 2 + (im[v * w + u] as number) ** 2) / (w * h);
        power[rad - 1] = (power[rad - 1] as number) + p;
        counts[rad - 1] = (counts[rad - 1] as number) + 1;
      }
    }
  }
  for (let k = 0; k < R; k++) power[k] = (power[k] as number) / Math.max(1, counts[k] as number);
  return power;
}

/**
 * Mean absolute difference of log10 radial power between two sets: mean_r |log10 P_r(r) − log10 P_g(r)|, with a
 * tiny floor (1e-12 of the real spectrum's peak) so that a flat set gives a large finite value. 0.3 means a factor of
 * two per radius on average.
 */
export function spectrumDistance(real: MapSet, generated: MapSet): number {
  sameShape(real, generated, 'power-spectrum distance');
  const a = radialPowerSpectrum(real);
  const b = radialPowerSpectrum(generated);
  let peak = 0;
  for (const v of a) peak = Math.max(peak, v);
  const eps = Math.max(peak, 1e-30) * 1e-12;
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    s += Math.abs(Math.log10((a[k] as number) + eps) - Math.log10((b[k] as number) + eps));
  }
  return s / a.length;
}
