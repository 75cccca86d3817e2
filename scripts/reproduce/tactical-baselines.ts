// npm run reproduce:tactical-baselines [-- --smoke] [--out <dir>] [--layouts 1,2,3,4,5] [--seeds 3]
// Seed 003 (EdgeAgentX-DT) §X case study on the tactical mesh: jammer at t = 50 s (1 km radius, ~80 % loss), traffic
// ×2 from 55 s to 85 s, failure of a key relay at 60 s. Runs the two conventional baselines of issue 9 (static
// hop-count shortest paths; reactive shortest paths recomputed 5 s after a detected break; both at maximum power on
// one fixed channel) on layouts 1-5 × traffic seeds, and writes per-second throughput and latency as CSV and an SVG
// plot. Targets: the static baseline collapses (window throughput [60 s, 85 s) more than 50 % below its pre-attack
// level [10 s, 50 s)), and the reactive one recovers at least 20 % of what static loses there. Exit 1 if missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CASE_STUDY,
  caseStudyScenario,
  type MeshController,
  ReactiveShortestPath,
  StaticShortestPath,
  TacticalMeshEnv,
} from '@twinforge/plugin-env-tactical-mesh';
import { lineChartsSvg, type SeriesPoint } from '../lib/line-chart.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: 'runs/reproduce/tactical-baselines' },
    layouts: { type: 'string', default: '1,2,3,4,5' },
    seeds: { type: 'string' },
  },
});
const smoke = values.smoke === true;
const layouts = (values.layouts as string).split(',').map(Number);
const seeds = Number(values.seeds ?? (smoke ? 1 : 3));
const outDir = resolve(values.out as string);
const PRE: [number, number] = [10, 50];
const WINDOW: [number, number] = [CASE_STUDY.relayFailure_s, CASE_STUDY.surgeTo_s];
const TARGET_STATIC_DROP = 0.5;
const TARGET_RECOVERY = 0.2;

interface Series {
  throughput: number[];
  offered: number[];
  /** Σ latency_ms·delivered and Σ delivered per step, for a delivery-weighted mean latency. */
  latencyWeighted: number[];
  delivered: number[];
  dropped: number[];
  runs: number;
}

const newSeries = (steps: number): Series => ({
  throughput: new Array(steps).fill(0),
  offered: new Array(steps).fill(0),
  latencyWeighted: new Array(steps).fill(0),
  delivered: new Array(steps).fill(0),
  dropped: new Array(steps).fill(0),
  runs: 0,
});

function runEpisode(env: TacticalMeshEnv, ctl: MeshController, into: Series[]): void {
  ctl.reset(env);
  for (let k = 0; env.agents.length > 0; k++) {
    ctl.step(env);
    const m = env.metrics;
    if (!m) throw new Error('no metrics after a step');
    for (const s of into) {
      s.throughput[k] = (s.throughput[k] as number) + m.throughput_Mbps;
      s.offered[k] = (s.offered[k] as number) + m.offered_Mbps;
      s.latencyWeighted[k] = (s.latencyWeighted[k] as number) + m.latency_ms * m.delivered;
      s.delivered[k] = (s.delivered[k] as number) + m.delivered;
      s.dropped[k] = (s.dropped[k] as number) + m.dropped;
    }
  }
  for (const s of into) s.runs++;
}

const mean = (a: readonly number[], [lo, hi]: [number, number], runs: number) =>
  a.slice(lo, hi).reduce((x, y) => x + y, 0) / (hi - lo) / runs;
const latencyIn = (s: Series, [lo, hi]: [number, number]) => {
  const w = s.latencyWeighted.slice(lo, hi).reduce((x, y) => x + y, 0);
  const d = s.delivered.slice(lo, hi).reduce((x, y) => x + y, 0);
  return d > 0 ? w / d : Number.NaN;
};

interface Summary {
  pre: number;
  window: number;
  drop: number;
  latencyPre: number;
  latencyWindow: number;
  pdrWindow: number;
}

function summarise(s: Series): Summary {
  const pre = mean(s.throughput, PRE, s.runs);
  const window = mean(s.throughput, WINDOW, s.runs);
  const delivered = s.delivered.slice(...WINDOW).reduce((x, y) => x + y, 0);
  const dropped = s.dropped.slice(...WINDOW).reduce((x, y) => x + y, 0);
  return {
    pre,
    window,
    drop: 1 - window / pre,
    latencyPre: latencyIn(s, PRE),
    latencyWindow: latencyIn(s, WINDOW),
    pdrWindow: delivered / Math.max(1, delivered + dropped),
  };
}

const policies = [
  { key: 'static', make: () => new StaticShortestPath() },
  { key: 'reactive', make: () => new ReactiveShortestPath() },
] as const;

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const horizon = new TacticalMeshEnv().config.horizon;
  const total = Object.fromEntries(policies.map((p) => [p.key, newSeries(horizon)])) as Record<string, Series>;
  const layoutRows: string[] = ['layout,policy,pre_Mbps,window_Mbps,drop,latency_pre_ms,latency_window_ms,pdr_window'];
  console.log('layout  relay(nodes behind)  routes jammed  calibrated loss | policy    pre Mbps  window Mbps  drop');
  for (const requested of layouts) {
    const cs = caseStudyScenario({}, { layoutSeed: requested });
    const perLayout = Object.fromEntries(policies.map((p) => [p.key, newSeries(horizon)])) as Record<string, Series>;
    for (const p of policies) {
      for (let seed = 1; seed <= seeds; seed++) {
        const env = new TacticalMeshEnv();
        env.reset({ seed, options: { scenario: cs.scenario } });
        runEpisode(env, p.make(), [total[p.key] as Series, perLayout[p.key] as Series]);
      }
      const s = summarise(perLayout[p.key] as Series);
      layoutRows.push(
        [cs.layoutSeed, p.key, s.pre, s.window, s.drop, s.latencyPre, s.latencyWindow, s.pdrWindow]
          .map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v)))
          .join(','),
      );
      console.log(
        `${String(cs.layoutSeed).padStart(6)}  ${`${cs.relay.node} (${cs.relay.descendants})`.padStart(19)}  ${String(cs.routesJammed).padStart(13)}  ${cs.calibratedLoss.toFixed(2).padStart(15)} | ${p.key.padEnd(8)}  ${s.pre.toFixed(2).padStart(8)}  ${s.window.toFixed(2).padStart(11)}  ${(100 * s.drop).toFixed(0).padStart(3)} %`,
      );
    }
  }

  const st = summarise(total.static as Series);
  const re = summarise(total.reactive as Series);
  const recovery = (re.window - st.window) / (st.pre - st.window);
  console.log('');
  console.log('policy    pre Mbps  window Mbps  drop   latency pre ms  latency window ms  PDR window');
  for (const [key, s] of [
    ['static', st],
    ['reactive', re],
  ] as const) {
    console.log(
      `${key.padEnd(8)}  ${s.pre.toFixed(2).padStart(8)}  ${s.window.toFixed(2).padStart(11)}  ${(100 * s.drop).toFixed(0).padStart(3)} %  ${s.latencyPre.toFixed(1).padStart(14)}  ${s.latencyWindow.toFixed(1).padStart(17)}  ${s.pdrWindow.toFixed(2).padStart(10)}`,
    );
  }

  const csv = [
    't_s,offered_Mbps,static_throughput_Mbps,static_latency_ms,reactive_throughput_Mbps,reactive_latency_ms',
  ];
  const points: { throughput: SeriesPoint[]; latency: SeriesPoint[] } = { throughput: [], latency: [] };
  for (let k = 0; k < horizon; k++) {
    const row: number[] = [k, ((total.static as Series).offered[k] as number) / (total.static as Series).runs];
    for (const p of policies) {
      const s = total[p.key] as Series;
      const tp = (s.throughput[k] as number) / s.runs;
      const d = s.delivered[k] as number;
      const lat = d > 0 ? (s.latencyWeighted[k] as number) / d : Number.NaN;
      row.push(tp, lat);
      points.throughput.push({ x: k, y: tp, series: p.key });
      points.latency.push({ x: k, y: Number.isFinite(lat) && lat > 0 ? lat : null, series: p.key });
    }
    points.throughput.push({ x: k, y: row[1] as number, series: 'offered' });
    csv.push(row.map((v) => (Number.isFinite(v) ? v.toFixed(4) : '')).join(','));
  }
  writeFileSync(join(outDir, 'timeseries.csv'), `${csv.join('\n')}\n`);
  writeFileSync(join(outDir, 'layouts.csv'), `${layoutRows.join('\n')}\n`);
  const svg = await lineChartsSvg(
    [
      { title: 'Throughput delivered to the gateway', yTitle: 'Mbps', points: points.throughput },
      { title: 'End-to-end latency of delivered packets', yTitle: 'ms (log)', points: points.latency, logY: true },
    ],
    {
      xTitle: 'time (s)',
      markers: [
        { x: CASE_STUDY.jammerOn_s, label: 'jammer on' },
        { x: CASE_STUDY.surgeFrom_s, label: 'surge x2' },
        { x: CASE_STUDY.relayFailure_s, label: 'relay fails' },
        { x: CASE_STUDY.surgeTo_s, label: 'surge ends' },
      ],
    },
  );
  writeFileSync(join(outDir, 'throughput-latency.svg'), svg);
  console.log(`wrote ${join(outDir, 'timeseries.csv')}, layouts.csv and throughput-latency.svg`);

  const staticOk = st.drop > TARGET_STATIC_DROP;
  const reactiveOk = recovery >= TARGET_RECOVERY;
  console.log(
    `reproduce:tactical-baselines ${layouts.length} layouts x ${seeds} seeds: static throughput ${(-100 * st.drop).toFixed(0)} % in the jamming+failure window (target < -${100 * TARGET_STATIC_DROP} %: ${staticOk ? 'met' : 'MISSED'}), reactive ${(-100 * re.drop).toFixed(0)} %, recovering ${(100 * recovery).toFixed(0)} % of the static loss (target >= ${100 * TARGET_RECOVERY} %: ${reactiveOk ? 'met' : 'MISSED'})${smoke ? ' [smoke]' : ''}`,
  );
  if (!staticOk || !reactiveOk) process.exitCode = 1;
}

await main();
