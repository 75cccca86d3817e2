import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One point of a long-format series table: x, y and the series it belongs to. */
export interface SeriesPoint {
  readonly x: number;
  readonly y: number | null;
  readonly series: string;
}

export interface Panel {
  readonly title: string;
  readonly yTitle: string;
  readonly points: readonly SeriesPoint[];
  readonly logY?: boolean;
}

/** Vertical rules with labels (e.g. scenario events) drawn on every panel. */
export interface Marker {
  readonly x: number;
  readonly label: string;
}

/**
 * Vertically stacked line charts sharing the x axis, as Vega-Lite (what the CLI's reports use), rendered headless to
 * SVG. Null y values leave gaps.
 */
export async function lineChartsSvg(
  panels: readonly Panel[],
  options: { xTitle: string; markers?: readonly Marker[]; width?: number; height?: number } = { xTitle: 'x' },
): Promise<string> {
  const markers = options.markers ?? [];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    vconcat: panels.map((p) => ({
      title: p.title,
      width: options.width ?? 640,
      height: options.height ?? 200,
      layer: [
        {
          data: { values: p.points.map((q) => ({ ...q })) },
          mark: { type: 'line', interpolate: 'linear' },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: options.xTitle },
            y: {
              field: 'y',
              type: 'quantitative',
              title: p.yTitle,
              ...(p.logY ? { scale: { type: 'log' } } : {}),
            },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
        {
          data: { values: markers.map((m) => ({ ...m })) },
          mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
          encoding: { x: { field: 'x', type: 'quantitative' } },
        },
        {
          // Labels step down so markers close together stay readable.
          data: { values: markers.map((m, i) => ({ ...m, py: 2 + 11 * (i % 3) })) },
          mark: { type: 'text', align: 'left', dx: 3, baseline: 'top', color: 'gray', fontSize: 10 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'py', type: 'quantitative', scale: null },
            text: { field: 'label' },
          },
        },
      ],
    })),
  } as TopLevelSpec;
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
