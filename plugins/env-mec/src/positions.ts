import { assertFinite, type Rng, TwinforgeError } from '@twinforge/core';
import { LevySteps } from './levy.js';

/** How device (IoTD) positions are drawn (seed 004 Table III: uniform, Gaussian and Lévy distributions). */
export type PositionDistribution = 'uniform' | 'gaussian' | 'levy';

export interface PositionOptions {
  readonly distribution: PositionDistribution;
  readonly areaM: readonly [number, number];
  /** Gaussian: standard deviation around the area centre, m (default a sixth of the shorter side). */
  readonly gaussianStdM?: number;
  /** Lévy: scale η of each Lévy-flight step, m (default a fiftieth of the shorter side, 1 m in 50 m × 50 m). */
  readonly levyScaleM?: number;
  /** Lévy: index β of the Mantegna steps (default 1.5). */
  readonly levyBeta?: number;
}

/**
 * Device positions as interleaved (x, y) pairs, inside the area.
 *
 * The paper names the three distributions without parameters; our readings:
 * - uniform: x ~ U(0, W), y ~ U(0, H);
 * - gaussian: N(centre, σ²) per axis, σ = min(W, H)/6 by default, so ~99.7 % fall inside before clamping;
 * - levy: a Lévy flight (Eq. 18, Mantegna steps) that starts at the centre; each device is placed one step after the
 *   previous one. Short steps make clusters, the occasional long jump starts a new one, which is the point of a
 *   Lévy-distributed population.
 * Points that fall outside are reflected back in (clamping would pile them up on the border).
 */
export function samplePositions(n: number, rng: Rng, opts: PositionOptions): Float64Array {
  const [w, h] = opts.areaM;
  if (!Number.isInteger(n) || n < 0)
    throw new TwinforgeError('INVALID_ARGUMENT', `n must be an integer >= 0, got ${n}`);
  if (!(w > 0 && h > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `area must be positive, got ${w} × ${h}`);
  const out = new Float64Array(2 * n);
  const side = Math.min(w, h);
  switch (opts.distribution) {
    case 'uniform':
      for (let i = 0; i < n; i++) {
        out[2 * i] = rng.uniform(0, w);
        out[2 * i + 1] = rng.uniform(0, h);
      }
      break;
    case 'gaussian': {
      const std = opts.gaussianStdM ?? side / 6;
      for (let i = 0; i < n; i++) {
        out[2 * i] = reflect(rng.normal(w / 2, std), w);
        out[2 * i + 1] = reflect(rng.normal(h / 2, std), h);
      }
      break;
    }
    case 'levy': {
      const steps = new LevySteps(opts.levyBeta ?? 1.5);
      const scale = opts.levyScaleM ?? side / 50;
      let x = w / 2;
      let y = h / 2;
      for (let i = 0; i < n; i++) {
        x = reflect(x + scale * steps.next(rng), w);
        y = reflect(y + scale * steps.next(rng), h);
        out[2 * i] = x;
        out[2 * i + 1] = y;
      }
      break;
    }
    default:
      throw new TwinforgeError('INVALID_ARGUMENT', `unknown position distribution ${String(opts.distribution)}`);
  }
  return out;
}

/** Folds v into [0, L] by mirror reflection at the borders (any number of times). */
export function reflect(v: number, length: number): number {
  assertFinite(v, 'position');
  const period = 2 * length;
  let r = v % period;
  if (r < 0) r += period;
  return r <= length ? r : period - r;
}
