import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Vega-Lite → Vega → SVG (headless, no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG at 2x for sharp text, on white (a transparent PNG is unreadable in dark viewers). */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, sansSerifFamily: 'DejaVu Sans', defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
}

/** Writes `<dir>/<name>.svg` and `.png`; returns their paths relative to the run directory. */
export async function writeChart(
  runDir: string,
  plotsDir: string,
  name: string,
  spec: TopLevelSpec,
): Promise<{ svg: string; png: string }> {
  const svg = await renderSvg(spec);
  const svgPath = `${plotsDir}/${name}.svg`;
  const pngPath = `${plotsDir}/${name}.png`;
  writeFileSync(join(runDir, svgPath), svg);
  writeFileSync(join(runDir, pngPath), svgToPng(svg));
  return { svg: svgPath, png: pngPath };
}
