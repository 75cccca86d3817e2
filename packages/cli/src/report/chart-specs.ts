import type { TopLevelSpec } from 'vega-lite';
import type { EpisodeRow, MetricRow } from '../run/metrics-tables.js';
import type { PolicyScore } from '../run/summary.js';

/*
 * Vega-Lite specs of the report's plots, built from plain rows so they can be tested without rendering. Values are
 * prepared here (smoothing, bands, confidence intervals), not by Vega transforms, so the plot shows exactly the
 * numbers the summary prints.
 */

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 640;
const HEIGHT = 280;

export interface CurvePoint {
  policy: string;
  episode: number;
  mean: number;
  lo: number;
  hi: number;
  seeds: number;
}

/** Trailing moving average over `window` episodes (shorter at the start). */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    if (i >= window) sum -= values[i - window] as number;
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

/** The smoothing window: about 1/20 of the episodes, so a curve has ~20 independent points. */
export function smoothingWindow(episodesPerSeed: number): number {
  return Math.max(1, Math.round(episodesPerSeed / 20));
}

/**
 * Per policy and seed smoothed returns, then per policy and episode the mean and the range (min..max) over the seeds
 * that reached it. The learner comes first, then baselines that train, in order of appearance.
 */
export function learningCurve(
  rows: readonly EpisodeRow[],
  window: number,
): {
  band: CurvePoint[];
  perSeed: { policy: string; seed: number; episode: number; smoothed: number }[];
} {
  const groups = new Map<string, { policy: string; seed: number; rows: EpisodeRow[] }>();
  for (const r of rows) {
    const key = JSON.stringify([r.policy, r.seed]);
    const g = groups.get(key) ?? { policy: r.policy, seed: r.seed, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const perSeed: { policy: string; seed: number; episode: number; smoothed: number }[] = [];
  const at = new Map<string, Map<number, number[]>>();
  for (const { policy, seed, rows: seedRows } of groups.values()) {
    const sorted = [...seedRows].sort((a, b) => a.episode - b.episode);
    const smooth = movingAverage(
      sorted.map((r) => r.return),
      window,
    );
    const byEpisode = at.get(policy) ?? new Map<number, number[]>();
    at.set(policy, byEpisode);
    sorted.forEach((r, i) => {
      const v = smooth[i] as number;
      perSeed.push({ policy, seed, episode: r.episode, smoothed: v });
      byEpisode.set(r.episode, [...(byEpisode.get(r.episode) ?? []), v]);
    });
  }
  const band: CurvePoint[] = [];
  for (const [policy, byEpisode] of at) {
    for (const [episode, v] of [...byEpisode.entries()].sort((a, b) => a[0] - b[0])) {
      band.push({
        policy,
        episode,
        mean: v.reduce((a, b) => a + b, 0) / v.length,
        lo: Math.min(...v),
        hi: Math.max(...v),
        seeds: v.length,
      });
    }
  }
  return { band, perSeed };
}

export function learningCurveSpec(rows: readonly EpisodeRow[], episodesPerSeed: number): TopLevelSpec {
  const window = smoothingWindow(episodesPerSeed);
  const { band, perSeed } = learningCurve(rows, window);
  const seeds = new Set(perSeed.map((p) => p.seed)).size;
  const policies = [...new Set(band.map((b) => b.policy))];
  const x = {
    field: 'episode',
    type: 'quantitative' as const,
    title: 'training episode',
    axis: { tickMinStep: 1, format: 'd' },
  };
  const color = {
    field: 'policy',
    type: 'nominal' as const,
    scale: { domain: policies, range: ['#1f4e79', '#e45756', '#54a24b', '#b279a2', '#9d755d', '#72b7b2'] },
    title: null,
    legend: policies.length > 1 ? { orient: 'bottom' as const, labelLimit: 320 } : null,
  };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Learning curve',
      subtitle: `return, moving average over ${window} episode(s); band: range over ${seeds} seed(s); line: mean`,
    },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: band },
        mark: { type: 'area', opacity: 0.22 },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'return' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: perSeed },
        mark: { type: 'line', strokeWidth: 0.7, opacity: 0.4 },
        encoding: {
          x,
          y: { field: 'smoothed', type: 'quantitative' },
          color,
          detail: { field: 'seed', type: 'nominal' },
        },
      },
      {
        data: { values: band },
        mark: { type: 'line', strokeWidth: 2.2 },
        encoding: { x, y: { field: 'mean', type: 'quantitative' }, color },
      },
    ],
  };
}

/** Bars of mean greedy return per policy with 95 % confidence intervals; the trained learner in its own colour. */
export function evaluationSpec(scores: readonly PolicyScore[]): TopLevelSpec {
  const values = scores.map((s) => ({
    policy: s.policy,
    kind: s.kind,
    mean: s.meanReturn,
    lo: s.meanReturn - s.ci95,
    hi: s.meanReturn + s.ci95,
    n: s.episodes,
  }));
  const y = { field: 'policy', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 320 } };
  return {
    $schema: SCHEMA,
    title: { text: 'Trained learner against baselines', subtitle: 'mean greedy return per episode, 95 % CI' },
    width: WIDTH,
    height: Math.max(60, 36 * values.length),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative', title: 'mean return' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['learner', 'baseline'], range: ['#f58518', '#9d9d9d'] },
            title: null,
          },
        },
      },
      {
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, dy: -9, fontSize: 10 },
        encoding: { y, x: { field: 'hi', type: 'quantitative' }, text: { field: 'mean', format: '.3f' } },
      },
    ],
  };
}

/** The learner's own metrics (loss, epsilon, ...) against environment steps, one panel per metric. */
export function trainMetricsSpec(rows: readonly MetricRow[]): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: 'Learner metrics',
    data: { values: rows.map((r) => ({ ...r, seed: String(r.seed) })) },
    facet: { field: 'name', type: 'nominal', title: null },
    columns: 2,
    spec: {
      width: WIDTH / 2 - 40,
      height: 160,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'environment step' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'seed', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

export interface GridLike {
  width: number;
  height: number;
  cellSize_m: number;
  unit: string;
  data: ArrayLike<number>;
}

/** Averages blocks of cells so a heatmap has at most `max` × `max` rectangles. */
export function downsampleGrid(grid: GridLike, max = 48): { x: number; y: number; value: number }[] {
  const factor = Math.max(1, Math.ceil(Math.max(grid.width, grid.height) / max));
  const out: { x: number; y: number; value: number }[] = [];
  for (let by = 0; by < grid.height; by += factor) {
    for (let bx = 0; bx < grid.width; bx += factor) {
      let sum = 0;
      let n = 0;
      for (let y = by; y < Math.min(by + factor, grid.height); y++) {
        for (let x = bx; x < Math.min(bx + factor, grid.width); x++) {
          const v = grid.data[y * grid.width + x] as number;
          if (Number.isFinite(v)) {
            sum += v;
            n++;
          }
        }
      }
      // Cell centres in metres.
      const size = grid.cellSize_m * factor;
      const round = (v: number) => Math.round(v * 10) / 10;
      out.push({
        x: round((bx / factor + 0.5) * size),
        y: round((by / factor + 0.5) * size),
        value: n > 0 ? sum / n : Number.NaN,
      });
    }
  }
  return out;
}

/** A scenario map (link quality, interference, load, ...) as a heatmap in metres; y grows upwards. */
export function mapSpec(name: string, grid: GridLike): TopLevelSpec {
  const values = downsampleGrid(grid);
  const side = 360;
  const aspect = grid.height / grid.width;
  return {
    $schema: SCHEMA,
    title: { text: `Scenario map: ${name}`, subtitle: `${grid.width} × ${grid.height} cells of ${grid.cellSize_m} m` },
    width: side,
    height: Math.round(side * aspect),
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'x', type: 'ordinal', title: 'x (m)', axis: { labelOverlap: true, labelAngle: 0 } },
      y: {
        field: 'y',
        type: 'ordinal',
        sort: 'descending',
        title: 'y (m)',
        axis: { labelOverlap: true },
      },
      color: { field: 'value', type: 'quantitative', scale: { scheme: 'viridis' }, title: grid.unit },
    },
  };
}
