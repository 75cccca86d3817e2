import type { EventFidelityReport, EventScores } from '../events/evaluate-events.js';
import type { MapFidelityReport, MapScores } from '../maps/evaluate-maps.js';

export type TableRow = Readonly<Record<string, string | number>>;

const fix = (v: number | undefined, d = 4) =>
  v === undefined ? '' : Number.isFinite(v) ? Number(v.toPrecision(d)) : v;

/** One row per set (the real floor first): the numbers of a map fidelity report, for printing and CSV. */
export function mapTableRows(report: MapFidelityReport): TableRow[] {
  const row = (name: string, s: MapScores, ratio: number | undefined): TableRow => ({
    set: name,
    n: s.count,
    pixel_js: fix(s.pixelJs),
    pixel_w1: fix(s.pixelW1),
    mmd2: fix(s.mmd2),
    mmd_vs_floor: ratio === undefined ? 1 : fix(ratio, 3),
    semivariogram: fix(s.semivariogram),
    spectrum: fix(s.spectrum),
    violations_cell: fix(s.constraints?.cellRate),
    violations_map: fix(s.constraints?.mapRate),
    memorised: fix(s.memorisationRate),
    nn_dist: fix(s.nearestTraining),
    condition_acc: fix(s.condition?.accuracy),
  });
  return [
    row('real (floor)', report.floor, undefined),
    ...Object.entries(report.candidates).map(([n, s]) => row(n, s, report.mmdRatio[n])),
  ];
}

/** One row per set (the real floor first) of an event fidelity report. */
export function eventTableRows(report: EventFidelityReport): TableRow[] {
  const row = (name: string, s: EventScores): TableRow => ({
    set: name,
    timelines: s.timelines,
    events: s.events,
    unigram_js: fix(s.unigramJs),
    bigram_js: fix(s.bigramJs),
    ks_D: fix(s.interArrival.statistic),
    ks_p: fix(s.interArrival.pValue),
    transition_l1: fix(s.transitionL1),
    invalid_timelines: fix(s.validity.rate),
    violations: s.validity.violations,
  });
  return [row('real (floor)', report.floor), ...Object.entries(report.candidates).map(([n, s]) => row(n, s))];
}

/** Fixed-width text table of rows with the same keys. */
export function formatTable(rows: readonly TableRow[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0] as TableRow);
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = keys.map((_, j) => Math.max(...cells.map((c) => (c[j] as string).length)));
  return cells
    .map((c) =>
      c
        .map((v, j) => v.padEnd(widths[j] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Rows as CSV (RFC 4180 quoting where needed). */
export function toCsv(rows: readonly TableRow[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0] as TableRow);
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `${[keys.join(','), ...rows.map((r) => keys.map((k) => q(String(r[k] ?? ''))).join(','))].join('\n')}\n`;
}
