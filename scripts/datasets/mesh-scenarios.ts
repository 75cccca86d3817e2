// npm run dataset:mesh-scenarios [-- --scenarios 1000 --out runs/datasets/mesh-scenarios --seed 2026 --force]
// npm run dataset:mesh-scenarios -- --smoke            (8 scenarios into a temporary directory)
//
// The training data of the generative scenario models (seed 003 §V/§VII, issue 10): domain-randomised scenarios of
// the tactical mesh (layouts, jammer counts/positions/powers/channels, failures, surges, link degradations, load
// levels) played through the physics simulator with the reactive shortest-path baseline; at fixed times each episode
// is rendered to link-quality, interference and jamming grids (32×32 and 16×16) plus the pairwise link matrix, with
// the condition values (active jammer count, load level) beside them. Event timelines go to their own table.
//
// <out>/meta/info.json           format, configs, counts, files, and a description of every column
// <out>/data/snapshots.parquet   one row per (scenario, snapshot time): grids + conditions (diffusion model)
// <out>/data/events.parquet      one row per scenario event, time-ordered within a scenario (transformer)
// <out>/data/scenarios.parquet   one row per scenario: its parameters, the full Scenario JSON, episode metrics
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, type Scenario } from '@twinforge/core';
import { writeFileAtomic, writeParquetFile } from '@twinforge/data';
import {
  linkMatrix,
  RandomizedScenarioGenerator,
  ReactiveShortestPath,
  renderGrids,
  TacticalMeshEnv,
} from '@twinforge/plugin-env-tactical-mesh';
import { type ColumnSpec, TableBuilder } from '../lib/arrow-columns.js';
import { EVENT_COLUMNS, eventTableRow } from '../lib/event-columns.js';

const FORMAT = 'twinforge-mesh-scenarios';
const FORMAT_VERSION = 1;
const GRID_SIZES = [32, 16] as const;

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    scenarios: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '2026' },
    snapshots: { type: 'string', default: '10,30,50,70,90' },
    force: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke === true;
const count = Number(values.scenarios ?? (smoke ? 8 : 1000));
const seed = Number(values.seed);
const snapshotTimes = (values.snapshots as string).split(',').map(Number);
const outDir = resolve(
  values.out ?? (smoke ? mkdtempSync(join(tmpdir(), 'tf-mesh-scenarios-')) : 'runs/datasets/mesh-scenarios'),
);

const NODES = 20;
const PAIRS = (NODES + 1) * (NODES + 1);
const vec = (width: number) => ({ kind: 'vector', width }) as const;
const int = { kind: 'int64' } as const;
const f64 = { kind: 'float64' } as const;
const utf8 = { kind: 'utf8' } as const;

const gridColumns: ColumnSpec[] = GRID_SIZES.flatMap((n) => [
  {
    name: `link_quality_${n}`,
    type: vec(n * n),
    description: `${n}x${n} row-major (row = y from the south edge, col = x from the west edge), cell = area/${n}: best two-way attempt success in [0, 1] a radio at the cell centre would have into the mesh (renderGrids.linkQuality)`,
  },
  {
    name: `interference_dBm_${n}`,
    type: vec(n * n),
    description: `${n}x${n}: noise of one channel + interference + jamming summed over channels at the cell centre, dBm (renderGrids.interference)`,
  },
  {
    name: `jamming_dBm_${n}`,
    type: vec(n * n),
    description: `${n}x${n}: jamming alone summed over channels, dBm, floored at -150 (renderGrids.jamming; the env reads it back as scenario map "jamming_dBm")`,
  },
]);

const SNAPSHOT_COLUMNS: ColumnSpec[] = [
  { name: 'scenario_index', type: int, description: 'row of scenarios.parquet' },
  { name: 'scenario_id', type: utf8, description: 'Scenario.id' },
  { name: 'snapshot_index', type: int, description: 'index of the snapshot time within the scenario' },
  { name: 'time_s', type: f64, description: 'simulated seconds since the episode start (end of the step)' },
  { name: 'jammer_count', type: int, description: 'CONDITION: jammers active at time_s' },
  { name: 'load_level', type: int, description: 'CONDITION: index into meta load levels (offered load before surges)' },
  { name: 'offered_load_Mbps', type: f64, description: 'CONDITION: the load level in Mbps (total over the nodes)' },
  { name: 'offered_now_Mbps', type: f64, description: 'traffic generated in the last step, surges included, Mbps' },
  { name: 'failed_nodes', type: int, description: 'nodes down at time_s' },
  { name: 'throughput_Mbps', type: f64, description: 'delivered to the gateway in the last step (reactive baseline)' },
  { name: 'latency_ms', type: f64, description: 'mean end-to-end latency of the last step (0 when nothing delivered)' },
  { name: 'pdr', type: f64, description: 'packet delivery ratio of the last step' },
  ...gridColumns,
  {
    name: 'link_matrix',
    type: vec(PAIRS),
    description: `${NODES + 1}x${NODES + 1} row-major, gateway last: two-way attempt success of i -> j at maximum power on i's channel (linkMatrix)`,
  },
  {
    name: 'positions_m',
    type: vec(2 * (NODES + 1)),
    description: 'x0, y0, x1, y1, ... of the nodes then the gateway, metres',
  },
];

const SCENARIO_COLUMNS: ColumnSpec[] = [
  { name: 'scenario_index', type: int, description: 'row number' },
  { name: 'scenario_id', type: utf8, description: 'Scenario.id' },
  { name: 'layout_seed', type: int, description: 'params.layoutSeed: positions, shadowing, mobility' },
  { name: 'load_level', type: int, description: 'index into meta load levels' },
  { name: 'offered_load_Mbps', type: f64, description: 'params.offeredLoad_Mbps' },
  { name: 'jammers', type: int, description: 'jammers in the timeline' },
  { name: 'failures', type: int, description: 'node failures in the timeline' },
  { name: 'surges', type: int, description: 'traffic surges in the timeline' },
  { name: 'degrades', type: int, description: 'link degradations in the timeline' },
  { name: 'events', type: int, description: 'events in the timeline' },
  { name: 'reset_seed', type: int, description: 'seed the episode was reset with (traffic, link draws)' },
  { name: 'throughput_Mbps_mean', type: f64, description: 'mean throughput over the episode (reactive baseline)' },
  { name: 'pdr_episode', type: f64, description: 'delivered / generated over the episode' },
  { name: 'scenario_json', type: utf8, description: 'the whole Scenario as JSON (replay with env.reset)' },
];

async function main(): Promise<void> {
  if (existsSync(join(outDir, 'meta', 'info.json')) && !values.force) {
    console.error(`${outDir} already holds a dataset; pass --force to replace it`);
    process.exitCode = 1;
    return;
  }
  if (values.force) rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'meta'), { recursive: true });
  mkdirSync(join(outDir, 'data'), { recursive: true });

  const generator = new RandomizedScenarioGenerator({ nodes: NODES });
  const env = new TacticalMeshEnv({ nodes: NODES });
  const root = createRng(seed);
  const scenarioRng = root.split('scenarios');
  const resetSeeds = root.split('reset-seeds');
  const snapshots = new TableBuilder(SNAPSHOT_COLUMNS);
  const events = new TableBuilder(EVENT_COLUMNS);
  const scenarios = new TableBuilder(SCENARIO_COLUMNS);
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const scenario: Scenario = generator.sample({}, scenarioRng);
    const resetSeed = resetSeeds.nextUint32();
    env.reset({ seed: resetSeed, options: { scenario } });
    const ctl = new ReactiveShortestPath();
    ctl.reset(env);
    let tpSum = 0;
    let steps = 0;
    let snap = 0;
    while (env.agents.length > 0) {
      ctl.step(env);
      const m = env.metrics;
      if (!m) throw new Error('no metrics');
      tpSum += m.throughput_Mbps;
      steps++;
      if (snapshotTimes.includes(env.time_s)) {
        const row: Record<string, number | string | Float32Array> = {
          scenario_index: k,
          scenario_id: scenario.id,
          snapshot_index: snap++,
          time_s: env.time_s,
          jammer_count: env.jammers.size,
          load_level: scenario.params.loadLevel as number,
          offered_load_Mbps: env.offeredLoad_Mbps,
          offered_now_Mbps: m.offered_Mbps,
          failed_nodes: NODES - m.aliveNodes,
          throughput_Mbps: m.throughput_Mbps,
          latency_ms: m.latency_ms,
          pdr: m.pdr,
          link_matrix: linkMatrix(env),
          positions_m: Float32Array.from({ length: 2 * (NODES + 1) }, (_, q) =>
            q % 2 === 0 ? (env.view.posX[q >> 1] as number) : (env.view.posY[q >> 1] as number),
          ),
        };
        for (const n of GRID_SIZES) {
          const g = renderGrids(env, n, n);
          row[`link_quality_${n}`] = g.linkQuality.data;
          row[`interference_dBm_${n}`] = g.interference.data;
          row[`jamming_dBm_${n}`] = g.jamming.data;
        }
        snapshots.add(row);
      }
    }
    scenario.events.forEach((e, q) => {
      events.add(eventTableRow(k, scenario.id, e, q));
    });
    const p = scenario.params;
    scenarios.add({
      scenario_index: k,
      scenario_id: scenario.id,
      layout_seed: p.layoutSeed as number,
      load_level: p.loadLevel as number,
      offered_load_Mbps: p.offeredLoad_Mbps as number,
      jammers: p.jammers as number,
      failures: p.failures as number,
      surges: p.surges as number,
      degrades: p.degrades as number,
      events: scenario.events.length,
      reset_seed: resetSeed,
      throughput_Mbps_mean: tpSum / steps,
      pdr_episode: env.totals.generated > 0 ? env.totals.delivered / env.totals.generated : 0,
      scenario_json: JSON.stringify(scenario),
    });
    if ((k + 1) % 100 === 0) {
      console.log(`${k + 1}/${count} scenarios (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  }

  const files = [];
  for (const [name, table, rowGroup] of [
    ['snapshots', snapshots, 1024],
    ['events', events, 65_536],
    ['scenarios', scenarios, 65_536],
  ] as const) {
    const meta = new Map([
      ['twinforge.format', FORMAT],
      ['twinforge.format_version', String(FORMAT_VERSION)],
    ]);
    const schema = table.schema(meta);
    const written = await writeParquetFile(outDir, `data/${name}.parquet`, schema, [table.batch(schema)], {
      rowGroupSize: rowGroup,
      metadata: meta,
    });
    files.push({ ...written, table: name });
  }
  const info = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    created_by: 'scripts/datasets/mesh-scenarios.ts (npm run dataset:mesh-scenarios)',
    source:
      'seed 003 (EdgeAgentX-DT) §V / §VII: diffusion model on link-quality / interference maps conditioned on load and jammer count; transformer on event sequences',
    seed,
    scenarios: count,
    snapshot_times_s: snapshotTimes,
    grid_sizes: GRID_SIZES,
    area_m: [env.config.width_m, env.config.height_m],
    nodes: NODES,
    gateway_index: NODES,
    load_levels_Mbps: generator.config.loadLevels_Mbps,
    conditions: ['jammer_count', 'load_level'],
    policy: 'ReactiveShortestPath (maximum power, channel 0)',
    generator: { id: 'tactical-random', config: generator.config },
    mesh: env.config,
    files,
    columns: {
      snapshots: Object.fromEntries(SNAPSHOT_COLUMNS.map((c) => [c.name, c.description])),
      events: Object.fromEntries(EVENT_COLUMNS.map((c) => [c.name, c.description])),
      scenarios: Object.fromEntries(SCENARIO_COLUMNS.map((c) => [c.name, c.description])),
    },
    duckdb: `SELECT jammer_count, load_level, link_quality_32::FLOAT[1024] AS x FROM read_parquet('${outDir}/data/snapshots.parquet')`,
  };
  writeFileAtomic(join(outDir, 'meta', 'info.json'), `${JSON.stringify(info, null, 2)}\n`);
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  console.log(`files: ${readdirSync(join(outDir, 'data')).join(', ')}`);
  console.log(
    `dataset:mesh-scenarios ${count} scenarios, ${snapshots.rows} snapshots (${GRID_SIZES.map((n) => `${n}x${n}`).join(' + ')} grids), ${events.rows} events, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${outDir}${smoke ? ' [smoke]' : ''}`,
  );
}

await main();
