import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  downsampleGrid,
  evaluationSpec,
  learningCurve,
  mapSpec,
  movingAverage,
  smoothingWindow,
} from '../src/report/chart-specs.js';
import { renderSvg, svgToPng } from '../src/report/render-chart.js';
import type { EpisodeRow } from '../src/run/metrics-tables.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe('chart data', () => {
  it('movingAverage equals the brute-force trailing mean', () => {
    fc.assert(
      fc.property(fc.array(finite, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (values, window) => {
        const got = movingAverage(values, window);
        values.forEach((_v, i) => {
          const slice = values.slice(Math.max(0, i - window + 1), i + 1);
          const want = slice.reduce((a, b) => a + b, 0) / slice.length;
          expect(got[i]).toBeCloseTo(want, 6);
        });
      }),
    );
  });

  it('the seed band contains the mean and every seed, and covers every episode reached', () => {
    const rows = fc.array(
      fc.record({ seed: fc.integer({ min: 0, max: 3 }), episode: fc.integer({ min: 0, max: 30 }), return: finite }),
      { minLength: 1, maxLength: 80 },
    );
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 5 }), (raw, window) => {
        // One row per (seed, episode).
        const unique = [...new Map(raw.map((r) => [`${r.seed}/${r.episode}`, r])).values()];
        const episodes: EpisodeRow[] = unique.map((r) => ({
          ...r,
          policy: 'p',
          kind: 'learner',
          length: 1,
          steps: 1,
          scenarioId: 's',
        }));
        const { band, perSeed } = learningCurve(episodes, window);
        expect(band.map((b) => b.episode)).toEqual([...new Set(unique.map((r) => r.episode))].sort((a, b) => a - b));
        for (const b of band) {
          expect(b.lo).toBeLessThanOrEqual(b.mean + 1e-6);
          expect(b.mean).toBeLessThanOrEqual(b.hi + 1e-6);
          for (const p of perSeed.filter((q) => q.episode === b.episode)) {
            expect(p.smoothed).toBeGreaterThanOrEqual(b.lo - 1e-9);
            expect(p.smoothed).toBeLessThanOrEqual(b.hi + 1e-9);
          }
        }
      }),
    );
  });

  it('downsampling a grid keeps its mean when blocks divide it, and never exceeds the cell budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (bw, bh, f) => {
          const width = bw * f;
          const height = bh * f;
          const data = Float32Array.from({ length: width * height }, (_v, i) => (i * 37) % 11);
          const max = Math.max(bw, bh);
          const cells = downsampleGrid({ width, height, cellSize_m: 10, unit: 'dB', data }, max);
          expect(cells.length).toBe(bw * bh);
          const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
          expect(mean(cells.map((c) => c.value))).toBeCloseTo(mean(data), 4);
        },
      ),
    );
  });

  it('smoothing windows give about 20 points per curve', () => {
    expect(smoothingWindow(1)).toBe(1);
    expect(smoothingWindow(200)).toBe(10);
  });
});

describe('rendering', () => {
  it('renders a baseline comparison to SVG with the numbers in it, and to a PNG', async () => {
    const svg = await renderSvg(
      evaluationSpec([
        { policy: 'dirs (trained)', kind: 'learner', episodes: 10, meanReturn: 12.5, std: 1, ci95: 0.62 },
        { policy: 'random', kind: 'baseline', episodes: 10, meanReturn: 3.25, std: 2, ci95: 1.24 },
      ]),
    );
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('dirs (trained)');
    expect(svg).toContain('12.500');
    expect(svg).toContain('3.250');
    const png = svgToPng(svg);
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
  });

  it('renders a map as a heatmap of rectangles with its unit in the legend', async () => {
    const data = Float32Array.from({ length: 100 }, (_v, i) => -90 + i / 2);
    const svg = await renderSvg(mapSpec('interference', { width: 10, height: 10, cellSize_m: 5, unit: 'dBm', data }));
    expect(
      svg.match(/<path[^>]*aria-roledescription="rect mark"|role="graphics-symbol"/g)?.length ?? 0,
    ).toBeGreaterThan(0);
    expect(svg).toContain('dBm');
  });
});
