// Generated scenarios in the tactical mesh: the transformer's timelines and the diffusion model's jamming maps are
// replayed as whole episodes under the reactive shortest-path baseline, next to the real scenarios they were
// conditioned on (same layout, load and reset seed), and the network outcome (PDR, throughput) is compared.
import type { Grid, Rng, Scenario } from '@twinforge/core';
import { readParquetFile } from '@twinforge/data';
import { ReactiveShortestPath, TacticalMeshEnv } from '@twinforge/plugin-env-tactical-mesh';
import type { DiffusionMapModel, SnapshotMaps } from '@twinforge/plugin-gen-diffusion';
import { EventScenarioGenerator, type EventSequenceModel } from '@twinforge/plugin-gen-transformer';
import { pick } from './sampling.js';
import { sideOf } from './split.js';

export interface EpisodeOutcome {
  readonly pdr: number;
  readonly throughput_Mbps: number;
}

export interface EnvCheckRow {
  readonly set: string;
  readonly episodes: number;
  readonly ran: number;
  readonly pdr: number;
  readonly throughput_Mbps: number;
}

function runEpisode(env: TacticalMeshEnv, scenario: Scenario, seed: number): EpisodeOutcome {
  env.reset({ seed, options: { scenario } });
  const ctl = new ReactiveShortestPath();
  ctl.reset(env);
  let tp = 0;
  let steps = 0;
  while (env.agents.length > 0) {
    ctl.step(env);
    tp += env.metrics?.throughput_Mbps ?? 0;
    steps++;
  }
  const t = env.totals;
  return { pdr: t.generated > 0 ? t.delivered / t.generated : 1, throughput_Mbps: tp / Math.max(1, steps) };
}

function summarise(set: string, outcomes: (EpisodeOutcome | undefined)[]): EnvCheckRow {
  const ok = outcomes.filter((o): o is EpisodeOutcome => o !== undefined);
  const mean = (f: (o: EpisodeOutcome) => number) => ok.reduce((a, o) => a + f(o), 0) / Math.max(1, ok.length);
  return {
    set,
    episodes: outcomes.length,
    ran: ok.length,
    pdr: mean((o) => o.pdr),
    throughput_Mbps: mean((o) => o.throughput_Mbps),
  };
}

/** Runs `count` real test scenarios and their generated counterparts; an episode that throws counts as not run. */
export async function runEnvCheck(
  root: string,
  events: EventSequenceModel,
  maps: DiffusionMapModel,
  snapshotMaps: SnapshotMaps,
  count: number,
  rng: Rng,
  log: (line: string) => void,
): Promise<{ rows: EnvCheckRow[]; errors: string[] }> {
  const table = (await readParquetFile(root, 'data/scenarios.parquet')).table;
  const json = table.getChild('scenario_json') as { get(i: number): unknown };
  const resetSeeds = table.getChild('reset_seed') as { get(i: number): unknown };
  const index = table.getChild('scenario_index') as { get(i: number): unknown };
  const test: { scenario: Scenario; reset: number; index: number }[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const k = Number(index.get(i));
    if (sideOf(k) === 'test') {
      test.push({ scenario: JSON.parse(String(json.get(i))) as Scenario, reset: Number(resetSeeds.get(i)), index: k });
    }
  }
  const chosen = pick(test, count, rng.split('scenarios'));
  const env = new TacticalMeshEnv({ nodes: 20 });
  const errors: string[] = [];
  const attempt = (what: string, f: () => EpisodeOutcome): EpisodeOutcome | undefined => {
    try {
      return f();
    } catch (e) {
      errors.push(`${what}: ${String(e)}`);
      return undefined;
    }
  };
  const gen = new EventScenarioGenerator(events);
  const sampleRng = rng.split('events');
  const realEv = chosen.map((c) => attempt(`real ${c.scenario.id}`, () => runEpisode(env, c.scenario, c.reset)));
  const genEv = chosen.map((c) => {
    const p = c.scenario.params;
    const s = gen.sample({ jammers: p.jammers as number, loadLevel: p.loadLevel as number }, sampleRng);
    const scenario = { ...s, params: { ...s.params, layoutSeed: p.layoutSeed as number } };
    return attempt(`generated events for ${c.scenario.id}`, () => runEpisode(env, scenario, c.reset));
  });
  log(`env check: ${chosen.length} timelines replayed (real and generated)`);

  // Static jamming fields: a held-out real snapshot map vs a map generated for its condition, same layout and load.
  const side = snapshotMaps.width;
  const grid = (data: Float32Array): Grid => ({
    width: side,
    height: side,
    cellSize_m: 5000 / side,
    unit: 'dBm',
    data,
  });
  const byIndex = new Map(test.map((t) => [t.index, t]));
  const snaps = pick(
    snapshotMaps.scenarioIndex.map((s, i) => ({ s, i })).filter(({ s }) => byIndex.has(s)),
    count,
    rng.split('snapshots'),
  );
  const generatedMaps = maps.sample(
    snaps.map(({ i }) => snapshotMaps.conditions[i] as readonly (number | null)[]),
    rng.split('maps'),
    { steps: 50, guidance: 1 },
  );
  const fieldScenario = (id: string, base: Scenario, data: Float32Array): Scenario => ({
    id,
    seed: base.seed,
    params: { layoutSeed: base.params.layoutSeed as number, offeredLoad_Mbps: base.params.offeredLoad_Mbps as number },
    maps: { jamming_dBm: grid(data.map((v) => Math.min(0, Math.max(-150, v)))) },
    events: [],
    provenance: { generator: 'reproduce:generative-fidelity' },
  });
  const realMap = snaps.map(({ s, i }) => {
    const t = byIndex.get(s) as (typeof test)[number];
    return attempt(`real map ${i}`, () =>
      runEpisode(env, fieldScenario(`real-map-${i}`, t.scenario, snapshotMaps.maps[i] as Float32Array), t.reset),
    );
  });
  const genMap = snaps.map(({ s }, k) => {
    const t = byIndex.get(s) as (typeof test)[number];
    return attempt(`generated map ${k}`, () =>
      runEpisode(env, fieldScenario(`generated-map-${k}`, t.scenario, generatedMaps[k] as Float32Array), t.reset),
    );
  });
  log(`env check: ${snaps.length} jamming fields replayed (real and generated)`);
  return {
    rows: [
      summarise('real timelines', realEv),
      summarise('generated timelines', genEv),
      summarise('real jamming maps (static)', realMap),
      summarise('generated jamming maps (static)', genMap),
    ],
    errors,
  };
}
