import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRng, type ScenarioEvent, TwinforgeError } from '@twinforge/core';
import {
  type EventFidelityReport,
  evaluateEvents,
  evaluateMaps,
  eventTableRows,
  forbiddenBandConstraint,
  formatTable,
  type MapConstraint,
  type MapFidelityInput,
  type MapFidelityReport,
  type MapSet,
  mapTableRows,
  mmdRatioOverDraws,
  type RealDraw,
  rangeConstraint,
  type TableRow,
  type TimelineRules,
  toCsv,
} from '@twinforge/fidelity';
import { formatGate, type GateResult, gate } from '../fidelity/gates.js';
import { readEventTimelines } from '../fidelity/read-events.js';
import { assertSameGrid, type MapColumn, readMapColumn } from '../fidelity/read-maps.js';
import { matchSizes, range, splitHalves, subsample } from '../fidelity/split.js';
import { resolveTableFile, SCENARIO_DATASET_FILES } from '../fidelity/table-file.js';
import { displayPath } from '../util/display-path.js';
import { EXIT, UsageError } from '../util/exit.js';
import type { Io } from '../util/io.js';

/** The candidate's name in the tables and the JSON report. */
const GENERATED = 'generated';

export interface FidelityMapsOptions {
  column: string;
  floor?: string;
  training?: string;
  targets?: string;
  hotspotThreshold?: number;
  hotspotWindow?: number;
  range?: [number, number];
  forbidden?: [number, number][];
  bins?: number;
  seed: number;
  /** Redraws of the reference/floor split averaged by the MMD verdict (default 5 without --floor, else 1). */
  mmdDraws?: number;
  json: boolean;
  csv?: string;
  maxMmdRatio?: number;
  maxViolations?: number;
  minConditionAccuracy?: number;
}

export interface FidelityEventsOptions {
  nodes: number;
  horizon?: number;
  maxJammers?: number;
  channels?: number;
  width?: number;
  height?: number;
  floor?: string;
  seed: number;
  json: boolean;
  csv?: string;
  maxBigramJs?: number;
  minKsP?: number;
  maxViolations?: number;
}

/** Where the reference, floor and candidate rows come from, for the header and the JSON report. */
interface SetsPlan {
  reference: number[];
  floor: number[];
  candidate: number[];
  describe: { reference: string; floor: string; generated: string };
  json: Record<string, { file: string; rows: number; of: number }>;
}

/**
 * Reference and floor rows: all real rows and all rows of `--floor` when given, else the two halves of a seeded
 * shuffle of the real rows. The floor and the candidate are then cut to one size (seeded), since every distance of
 * two samples of one distribution depends on their sizes.
 */
function planSets(
  real: { display: string; count: number },
  floorFile: { display: string; count: number } | undefined,
  generated: { display: string; count: number },
  seed: number,
  unit: string,
): SetsPlan {
  const rng = createRng(seed);
  const halves = floorFile
    ? { reference: range(real.count), floor: range(floorFile.count) }
    : splitHalves(real.count, rng.split('floor-split'), real.display);
  const matched = matchSizes(halves.floor, range(generated.count), rng.split('match-sizes'));
  const floorOf = floorFile ?? real;
  const of = (n: number, total: number) => (n === total ? `${n}` : `${n} of ${total}`);
  return {
    reference: halves.reference,
    floor: matched.floor,
    candidate: matched.candidate,
    describe: {
      reference: floorFile
        ? `${halves.reference.length} real ${unit} of ${real.display}`
        : `${halves.reference.length} real ${unit}: a seeded half of ${real.display} (--seed ${seed})`,
      floor: floorFile
        ? `${of(matched.floor.length, floorFile.count)} real ${unit} of ${floorFile.display} (--floor)`
        : `${of(matched.floor.length, halves.floor.length)} real ${unit}: the other half`,
      generated: `${of(matched.candidate.length, generated.count)} ${unit} of ${generated.display}${
        matched.candidate.length < generated.count ? " (seeded subsample to the floor's size)" : ''
      }`,
    },
    json: {
      reference: { file: real.display, rows: halves.reference.length, of: real.count },
      floor: { file: floorOf.display, rows: matched.floor.length, of: floorOf.count },
      generated: { file: generated.display, rows: matched.candidate.length, of: generated.count },
    },
  };
}

/**
 * `draws` splits of the real rows into reference and floor halves: the plan's first, then seeded re-splits whose
 * floor half is cut to the candidate's size, as the plan's was. With a few hundred maps one split is a noisy basis
 * for an MMD²/floor verdict (a second set of real maps scored 0.4–1.5× on single draws of the mesh jamming maps).
 */
function redraws(
  real: MapColumn,
  plan: SetsPlan,
  draws: number,
  seed: number,
  set: (maps: Float32Array[]) => MapSet,
): RealDraw[] {
  const rng = createRng(seed).split('mmd-draws');
  return Array.from({ length: draws }, (_, k) => {
    if (k === 0) return { reference: set(pick(real.maps, plan.reference)), floor: set(pick(real.maps, plan.floor)) };
    const halves = splitHalves(real.maps.length, rng.split(`split-${k}`), real.file.display);
    const floor = subsample(halves.floor, plan.candidate.length, rng.split(`floor-${k}`));
    return { reference: set(pick(real.maps, halves.reference)), floor: set(pick(real.maps, floor)) };
  });
}

function pick<T>(items: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => items[i] as T);
}

/** Table, CSV, JSON and gates, shared by both commands. Returns the exit code. */
function finish(
  io: Io,
  options: { json: boolean; csv?: string },
  out: {
    header: string[];
    rows: TableRow[];
    notes: string[];
    json: Record<string, unknown>;
    gates: GateResult[];
    summary: string;
  },
): number {
  const failed = out.gates.filter((g) => !g.passed);
  const notes = [...out.notes];
  let csv: string | undefined;
  if (options.csv) {
    const path = resolve(io.cwd, options.csv);
    try {
      writeFileSync(path, toCsv(out.rows));
    } catch (error) {
      throw new TwinforgeError('INVALID_ARGUMENT', `--csv ${options.csv}: cannot write the table: ${String(error)}`, {
        cause: error,
        details: { path },
      });
    }
    csv = displayPath(io.cwd, path);
    notes.push(`table written to ${csv}`);
  }
  if (options.json) {
    const json = { ...out.json, ...(csv ? { csv } : {}), gates: out.gates, passed: failed.length === 0 };
    io.out.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const gates = out.gates.length > 0 ? ['', 'gates:', ...out.gates.map((g) => `  ${formatGate(g)}`)] : [];
    const lines = [...out.header, '', formatTable(out.rows), ...(notes.length > 0 ? ['', ...notes] : []), ...gates];
    const verdict =
      out.gates.length === 0
        ? ''
        : failed.length === 0
          ? `; ${out.gates.length} gate(s) passed`
          : `; ${failed.length} of ${out.gates.length} gate(s) FAILED`;
    io.out.write(`${lines.join('\n')}\n\n${out.summary}${verdict}\n`);
  }
  for (const g of failed) io.err.write(`twinforge: gate failed: ${formatGate(g)}\n`);
  return failed.length === 0 ? EXIT.ok : EXIT.gateFailed;
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));

/** `twinforge fidelity maps <real> <generated> --column <name> ...`. */
export async function fidelityMapsCommand(
  realPath: string,
  generatedPath: string,
  options: FidelityMapsOptions,
  io: Io,
): Promise<number> {
  const hotspots = options.targets !== undefined || options.hotspotThreshold !== undefined;
  if (hotspots && (options.targets === undefined || options.hotspotThreshold === undefined)) {
    throw new UsageError('--targets and --hotspot-threshold go together (condition accuracy needs both)');
  }
  if (options.hotspotWindow !== undefined && !hotspots) {
    throw new UsageError('--hotspot-window needs --targets and --hotspot-threshold');
  }
  if (options.minConditionAccuracy !== undefined && !hotspots) {
    throw new UsageError('--min-condition-accuracy needs --targets and --hotspot-threshold');
  }
  if (options.floor !== undefined && (options.mmdDraws ?? 1) > 1) {
    throw new UsageError('--mmd-draws above 1 redraws the split of the real rows, so it cannot go with --floor');
  }
  const forbidden = options.forbidden ?? [];
  if (options.maxViolations !== undefined && options.range === undefined && forbidden.length === 0) {
    throw new UsageError('--max-violations needs constraints: --range and/or --forbidden');
  }
  // Every path is checked before the first (possibly large) file is read.
  for (const [path, what] of [
    [realPath, 'real maps'],
    [generatedPath, 'generated maps'],
    [options.floor, 'floor maps (--floor)'],
    [options.training, 'training maps (--training)'],
  ] as const) {
    if (path !== undefined) resolveTableFile(path, io.cwd, SCENARIO_DATASET_FILES.snapshots, what);
  }
  const targets = options.targets;
  const read = (path: string, what: string) =>
    readMapColumn(path, io.cwd, options.column, { what, ...(targets === undefined ? {} : { targets }) });
  const real = await read(realPath, 'real maps');
  const generated = await read(generatedPath, 'generated maps');
  assertSameGrid(real, generated);
  const floorFile = options.floor === undefined ? undefined : await read(options.floor, 'floor maps (--floor)');
  if (floorFile) assertSameGrid(real, floorFile);
  const training =
    options.training === undefined
      ? undefined
      : await readMapColumn(options.training, io.cwd, options.column, { what: 'training maps (--training)' });
  if (training) assertSameGrid(real, training);

  const count = (c: MapColumn) => ({ display: c.file.display, count: c.maps.length });
  const plan = planSets(count(real), floorFile && count(floorFile), count(generated), options.seed, 'maps');
  const set = (maps: Float32Array[]): MapSet => ({ width: real.width, height: real.height, maps });
  const candidate = (source: MapColumn, rows: number[]) => ({
    maps: set(pick(source.maps, rows)),
    ...(source.targets ? { targets: pick(source.targets, rows) } : {}),
  });
  const constraints: MapConstraint[] = [
    ...(options.range ? [rangeConstraint(`range [${options.range.join(', ')}]`, ...options.range)] : []),
    ...forbidden.map(([lo, hi]) => forbiddenBandConstraint(`forbidden (${lo}, ${hi})`, lo, hi)),
  ];
  const input: MapFidelityInput = {
    reference: set(pick(real.maps, plan.reference)),
    ...(training ? { training: set(training.maps) } : {}),
    ...(constraints.length > 0 ? { constraints } : {}),
    ...(hotspots
      ? {
          hotspots: {
            threshold: options.hotspotThreshold as number,
            ...(options.hotspotWindow === undefined ? {} : { window: options.hotspotWindow }),
          },
        }
      : {}),
    ...(options.bins === undefined ? {} : { bins: options.bins }),
  };
  const report: MapFidelityReport = evaluateMaps(input, candidate(floorFile ?? real, plan.floor), {
    [GENERATED]: candidate(generated, plan.candidate),
  });
  const gen = report.candidates[GENERATED];
  const draws = options.mmdDraws ?? (floorFile ? 1 : 5);
  const overDraws =
    draws > 1
      ? mmdRatioOverDraws(set(pick(generated.maps, plan.candidate)), redraws(real, plan, draws, options.seed, set), {
          bandwidth: report.bandwidth,
        })
      : undefined;
  const ratio = overDraws?.mean ?? (report.mmdRatio[GENERATED] as number);
  const ratioName = overDraws ? `MMD²/floor (mean of ${draws} draws)` : 'MMD²/floor';
  const gates: GateResult[] = [];
  if (options.maxMmdRatio !== undefined) {
    gates.push(gate('--max-mmd-ratio', ratioName, ratio, options.maxMmdRatio, 'max'));
  }
  if (options.maxViolations !== undefined) {
    gates.push(
      gate(
        '--max-violations',
        'violating cells',
        gen?.constraints?.cellRate ?? Number.NaN,
        options.maxViolations,
        'max',
      ),
    );
  }
  if (options.minConditionAccuracy !== undefined) {
    gates.push(
      gate(
        '--min-condition-accuracy',
        'condition accuracy',
        gen?.condition?.accuracy ?? Number.NaN,
        options.minConditionAccuracy,
        'min',
      ),
    );
  }

  const notes: string[] = [];
  if (overDraws) {
    notes.push(
      `MMD²/floor over ${draws} seeded redraws of the reference/floor split (draw 1 is the table's): mean ${fmt(overDraws.mean)}, range ${fmt(overDraws.min)}-${fmt(overDraws.max)}`,
    );
  }
  if (constraints.length > 0) {
    const by = (s: typeof gen) =>
      Object.entries(s?.constraints?.byConstraint ?? {})
        .map(([name, rate]) => `${name} ${fmt(rate)}`)
        .join(', ');
    notes.push(`violating cells by rule: real (floor) ${by(report.floor)}; generated ${by(gen)}`);
  }
  if (hotspots && gen?.condition) {
    const misses = Object.entries(gen.condition.confusion)
      .filter(([k]) => k.split('->')[0] !== k.split('->')[1])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, n]) => `${k} ×${n}`);
    notes.push(
      `condition accuracy: hot spots above ${options.hotspotThreshold} (window ${options.hotspotWindow ?? 1}) = ${targets}` +
        (misses.length > 0 ? `; generated misses (target->found): ${misses.join(', ')}` : ''),
    );
  }
  if (training) notes.push(`memorisation against ${training.maps.length} training maps of ${training.file.display}`);

  return finish(io, options, {
    header: [
      `fidelity maps: column ${options.column} (${real.width}x${real.height}), RBF bandwidth ${fmt(report.bandwidth)} (median heuristic on the reference)`,
      `  reference  ${plan.describe.reference}`,
      `  floor      ${plan.describe.floor}`,
      `  generated  ${plan.describe.generated}`,
    ],
    rows: mapTableRows(report),
    notes,
    json: {
      command: 'fidelity maps',
      column: options.column,
      width: real.width,
      height: real.height,
      seed: options.seed,
      sets: plan.json,
      report,
      ...(overDraws ? { mmdOverDraws: { draws, ...overDraws } } : {}),
    },
    gates,
    summary: overDraws
      ? `fidelity maps: generated MMD² = ${fmt(ratio)}x the real-vs-real floor (mean of ${draws} draws; first draw ${fmt(report.mmdRatio[GENERATED] as number)}x)`
      : `fidelity maps: generated MMD² = ${fmt(ratio)}x the real-vs-real floor (${fmt(gen?.mmd2 ?? Number.NaN)} vs ${fmt(report.floor.mmd2)})`,
  });
}

/** `twinforge fidelity events <real> <generated> --nodes <n> ...`. */
export async function fidelityEventsCommand(
  realPath: string,
  generatedPath: string,
  options: FidelityEventsOptions,
  io: Io,
): Promise<number> {
  if (options.minKsP !== undefined && options.minKsP > 1) {
    throw new UsageError(`--min-ks-p is a p-value in [0, 1], got ${options.minKsP}`);
  }
  const rules: TimelineRules = {
    nodes: options.nodes,
    ...(options.horizon === undefined ? {} : { horizon_s: options.horizon }),
    ...(options.maxJammers === undefined ? {} : { maxJammers: options.maxJammers }),
    ...(options.channels === undefined ? {} : { channels: options.channels }),
    ...(options.width === undefined ? {} : { width_m: options.width }),
    ...(options.height === undefined ? {} : { height_m: options.height }),
  };
  for (const [path, what] of [
    [realPath, 'real events'],
    [generatedPath, 'generated events'],
    [options.floor, 'floor events (--floor)'],
  ] as const) {
    if (path !== undefined) resolveTableFile(path, io.cwd, SCENARIO_DATASET_FILES.events, what);
  }
  const real = await readEventTimelines(realPath, io.cwd, 'real events');
  const generated = await readEventTimelines(generatedPath, io.cwd, 'generated events');
  const floorFile =
    options.floor === undefined ? undefined : await readEventTimelines(options.floor, io.cwd, 'floor events (--floor)');
  const count = (c: { file: { display: string }; timelines: unknown[] }) => ({
    display: c.file.display,
    count: c.timelines.length,
  });
  const plan = planSets(count(real), floorFile && count(floorFile), count(generated), options.seed, 'timelines');
  const reference: ScenarioEvent[][] = pick(real.timelines, plan.reference);
  const report: EventFidelityReport = evaluateEvents(
    reference,
    pick((floorFile ?? real).timelines, plan.floor),
    { [GENERATED]: pick(generated.timelines, plan.candidate) },
    rules,
  );
  const gen = report.candidates[GENERATED];
  const gates: GateResult[] = [];
  if (options.maxBigramJs !== undefined) {
    gates.push(gate('--max-bigram-js', 'bigram JS', gen?.bigramJs ?? Number.NaN, options.maxBigramJs, 'max'));
  }
  if (options.minKsP !== undefined) {
    gates.push(gate('--min-ks-p', 'inter-arrival KS p', gen?.interArrival.pValue ?? Number.NaN, options.minKsP, 'min'));
  }
  if (options.maxViolations !== undefined) {
    gates.push(
      gate(
        '--max-violations',
        'validity violations',
        gen?.validity.violations ?? Number.NaN,
        options.maxViolations,
        'max',
      ),
    );
  }
  const byRule = (v: { byRule: Readonly<Record<string, number | undefined>> } | undefined) => {
    const parts = Object.entries(v?.byRule ?? {}).map(([rule, n]) => `${rule} ×${n}`);
    return parts.length > 0 ? parts.join(', ') : 'none';
  };
  const ruleText = [
    `nodes ${rules.nodes}`,
    rules.horizon_s === undefined ? undefined : `horizon ${rules.horizon_s} s`,
    rules.maxJammers === undefined ? undefined : `jammer ids < ${rules.maxJammers}`,
    rules.channels === undefined ? undefined : `channels ${rules.channels}`,
    rules.width_m === undefined && rules.height_m === undefined
      ? undefined
      : `area ${rules.width_m ?? '∞'} x ${rules.height_m ?? '∞'} m`,
  ]
    .filter((s) => s !== undefined)
    .join(', ');
  return finish(io, options, {
    header: [
      `fidelity events: validity rules ${ruleText}`,
      `  reference  ${plan.describe.reference}`,
      `  floor      ${plan.describe.floor}`,
      `  generated  ${plan.describe.generated}`,
    ],
    rows: eventTableRows(report),
    notes: [
      `real (reference) timelines breaking a rule: ${fmt(100 * report.referenceValidity.rate)} % (${byRule(report.referenceValidity)})`,
      `generated violations by rule: ${byRule(gen?.validity)}`,
    ],
    json: { command: 'fidelity events', rules, seed: options.seed, sets: plan.json, report },
    gates,
    summary: `fidelity events: generated bigram JS ${fmt(gen?.bigramJs ?? Number.NaN)} (floor ${fmt(report.floor.bigramJs)}), inter-arrival KS p ${fmt(gen?.interArrival.pValue ?? Number.NaN)}, ${gen?.validity.violations ?? 0} validity violation(s)`,
  });
}
