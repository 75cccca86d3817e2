// npm run reproduce:generative-fidelity [-- --smoke] [--data <dir> | --scenarios 5000] [--out <dir>] [--seed 10]
//   [--steps16 N] [--steps32 N] [--lr16 X] [--lr32 X] [--snr16 K] [--snr32 K] [--balance-power P] [--cascade-level L]
//   [--steps-events N] [--no-32]
//
// Issue 10 (seed 003, EdgeAgentX-DT §V): trains the generative scenario engine on the physics-simulated scenario
// dataset of `npm run dataset:mesh-scenarios` (runs/datasets/mesh-scenarios-<scenarios>, generated first when missing)
// and measures its fidelity:
//   - jamming maps 16×16 (diffusion, U-Net denoiser) and 32×32 (diffusion, U-Net, sampled as a cascade from the 16×16
//     model; the 32×32 model alone is scored beside it), conditioned on the active jammer
//     count and the load level: per-pixel JS/W1, MMD² against the real-vs-real floor, semivariogram and power-spectrum
//     distances, physical-constraint violations (the hard-radius gap of the jamming field), nearest-neighbour
//     memorisation and condition accuracy (hot spots = jammer count), beside a per-condition mean-map baseline and
//     real maps with the condition ignored;
//   - event timelines (transformer): unigram/bigram JS, KS test on inter-arrival times, transition-matrix L1 and
//     validity, beside the same model decoded without constraints and a bag-of-events baseline;
//   - generated scenarios replayed in the tactical mesh next to the real ones (PDR, throughput).
// Targets (issue 10): map MMD ≤ 2× the floor (judged on the mean over 5 redraws of reference and floor, since one
// draw of a few hundred maps swings by 2-4×; the single-draw ratio is printed beside it), constraint violations < 1 %, condition accuracy ≥ 90 %; event bigram
// JSD < 0.05, inter-arrival KS p > 0.05, zero validity violations; every generated scenario runs. Exit 1 if one is
// missed (not enforced with --smoke, whose budgets are tiny). Writes maps16.csv, maps32.csv, events.csv, env.csv,
// summary.json and the trained models (models/) to --out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, silentLogger } from '@twinforge/core';
import { eventTableRows, formatTable, mapTableRows, type TableRow, toCsv } from '@twinforge/fidelity';
import { type DiffusionMapModel, readSnapshotMaps } from '@twinforge/plugin-gen-diffusion';
import { initTensorBackend } from '@twinforge/tensor';
import { runEnvCheck } from './generative-fidelity/env-check.js';
import { runEventExperiment } from './generative-fidelity/events.js';
import { writeGeneratedEvents, writeGeneratedMaps } from './generative-fidelity/export.js';
import { runMapExperimentInChild } from './generative-fidelity/map-job-runner.js';
import {
  MAP_CONDITIONS,
  type MapExperiment,
  type MapResult,
  MMD_DRAWS,
  runMapExperiment,
} from './generative-fidelity/maps.js';
import { fmt } from './generative-fidelity/sampling.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    data: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '10' },
    scenarios: { type: 'string' },
    steps16: { type: 'string' },
    steps32: { type: 'string' },
    lr16: { type: 'string' },
    lr32: { type: 'string' },
    snr16: { type: 'string' },
    snr32: { type: 'string' },
    'cascade-level': { type: 'string' },
    'balance-power': { type: 'string' },
    'steps-events': { type: 'string' },
    'no-32': { type: 'boolean', default: false },
  },
});
const smoke = values.smoke === true;
const seed = Number(values.seed);
const here = dirname(fileURLToPath(import.meta.url));
// Defaults live under the repository root whatever the working directory (npm runs scripts from the root).
const repo = join(here, '..', '..');
const outDir = resolve(
  values.out ??
    (smoke ? mkdtempSync(join(tmpdir(), 'tf-genfid-')) : join(repo, 'runs', 'reproduce', 'generative-fidelity')),
);
// 5000 scenarios: with the 1000 of `npm run dataset:mesh-scenarios` the transformer's held-out loss rose after 50
// steps (700 training timelines) and its inter-arrival times missed the KS target (p 0.009); 3500 training
// timelines keep it improving for 1500 steps. Generating them takes about 8 minutes on 2 cores.
const scenarios = Number(values.scenarios ?? (smoke ? 16 : 5000));
const dataDir = resolve(
  values.data ?? (smoke ? join(outDir, 'dataset') : join(repo, 'runs', 'datasets', `mesh-scenarios-${scenarios}`)),
);
const TARGET = { mmdRatio: 2, violations: 0.01, conditionAccuracy: 0.9, bigramJs: 0.05, ksP: 0.05 };
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Generates the scenario dataset with the dataset script when `dataDir` has none (smoke: 16 scenarios). */
function ensureDataset(): void {
  if (existsSync(join(dataDir, 'data', 'snapshots.parquet'))) return;
  log(`no scenario dataset in ${dataDir}: generating ${scenarios} scenarios with scripts/datasets/mesh-scenarios.ts`);
  const tsx = join(here, '..', '..', 'node_modules', '.bin', 'tsx');
  const res = spawnSync(
    tsx,
    [join(here, '..', 'datasets', 'mesh-scenarios.ts'), '--scenarios', String(scenarios), '--out', dataDir, '--force'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (res.status !== 0) throw new Error(`dataset generation failed (exit ${res.status})`);
}

const unet = (channels: number[], patch = 1) => ({ kind: 'unet' as const, channels, embDim: 64, patch });

// The noise schedules' SNR factors (DiffusionModelConfig.snrScale, the shifted cosine schedule): see mapExperiments.
const SNR16 = 1;
const SNR32 = 1;

function positiveFlag(name: 'snr16' | 'snr32', fallback: number): number {
  const raw = values[name];
  const v = Number(raw ?? fallback);
  if (!(v > 0 && Number.isFinite(v))) throw new Error(`--${name} must be a finite number > 0, got ${raw}`);
  return v;
}

function mapExperiments(): MapExperiment[] {
  // Condition accuracy still rises with training: 16×16, 300 held-out maps, 71 % after 3000 steps, 77 % after 6000
  // and 88.7 % after 12000 at lr 2.5e-3 (at 5e-3 that run diverged in its first 1000 steps and stalled at ε-MSE
  // 0.186). Self-conditioning gave 74 % and 76 %, no better. With balanced draws and the sampling below, 20000
  // steps lifted 16×16 from 91.8 % and 92.6 % (12000 steps) to 94.2 % and 96.0 % on two held-out draws of 500 maps
  // (seeds 12 and 13), and with it the 32×32 cascade, which inherits its layouts. The 32×32 model trains in its own
  // process at the same time, so both get 20000 steps for about the wall time of one (67 and 77 min on 2 cores).
  const steps16 = Number(values.steps16 ?? (smoke ? 12 : 20000));
  const steps32 = Number(values.steps32 ?? (smoke ? 6 : 20000));
  const lr16 = Number(values.lr16 ?? 2.5e-3);
  const lr32 = Number(values.lr32 ?? 2e-3);
  // Training draws balanced over the jammer count: half the maps are jammer-free (right from early on) while two-
  // and three-jammer maps, 18 % of the set, hold most misses (12000 steps, 16×16: 54 % and 43 % right). Seed 10,
  // 12000 steps: condition accuracy 89.8 % → 90.2 % at 16×16 (within the ±1.3-point noise of 500 maps) and
  // 69.7 % → 76.3 % at 32×32; MMD²/floor 0.73 → 0.61 and 0.65 → 0.64. Power 0 turns it off.
  const snr16 = positiveFlag('snr16', SNR16);
  const snr32 = positiveFlag('snr32', SNR32);
  const balancePower = Number(values['balance-power'] ?? 1);
  if (!(balancePower >= 0 && balancePower <= 1)) {
    throw new Error(`--balance-power must be a number in [0, 1], got ${values['balance-power']}`);
  }
  const common = {
    emaDecay: 0.995,
    augment: 'dihedral' as const,
    logEvery: smoke ? 6 : 100,
    ...(balancePower > 0 ? { balance: { condition: 'jammers', power: balancePower } } : {}),
  };
  // η = 0.5 scored best on a held-out run (MMD 1.45× → 0.89× the floor against η = 0). Guidance at every step raised
  // MMD (2 and 3: 4.4× and 9.6× then); guidance 2 only for t/T in [0.2, 0.67] lowered it on the 3000-step checkpoints
  // (16×16: 2.68 → 1.41 and 0.61 → 0.50 on two evaluation draws; 32×32: 2.90 → 2.61), condition accuracy ±1 point.
  // The 16×16 row "no guidance" is the previous setting. On the balanced 12000-step 16×16 model, scale 3 for t/T in
  // [0.2, 0.9] raised condition accuracy over scale 2 in [0.2, 0.67] on two draws of 500 held-out maps (seeds 12 and
  // 13: 90.2 → 91.8 % and 89.8 → 92.6 %; single-draw MMD²/floor 0.59 → 0.64 and 1.02 → 1.33) and left the 32×32
  // cascade level on a third (seed 11, 300 maps: 90.7 % both).
  const sample = { steps: smoke ? 10 : 50, guidance: 3, guidanceInterval: [0.2, 0.9] as [number, number], eta: 0.5 };
  const list: MapExperiment[] = [
    {
      label: 'diffusion-16',
      column: 'jamming_dBm_16',
      denoiser: unet([16, 32, 64]),
      snrScale: snr16,
      train: { ...common, lr: lr16, steps: steps16, batchSize: smoke ? 8 : 32 },
      sample,
      evalMaps: smoke ? 12 : 500,
      memorisationMaps: smoke ? 20 : 2000,
      compareSample: { name: 'no guidance', config: { guidance: 1 } },
    },
  ];
  if (!values['no-32']) {
    // The 32×32 maps come from a cascade: the 16×16 model lays the jammers out, the 32×32 model renders the upsampled
    // layout from noise level 0.3 (SDEdit). Alone, the 32×32 model (a patch-2 U-Net, the 16×16 one's cost) places
    // too few disks: with the condition "1 jammer" a third of its maps came out empty and guidance 4 made that two
    // thirds, where the 16×16 model gave 6 % and 0 % (150 maps each). Seed 11, 300 held-out maps, the 12000-step
    // models, guidance 2 in [0.2, 0.67]: the cascade scored 90.7 % condition accuracy, MMD 0.61× the floor and 0.1 %
    // violating cells (the upsampled 16×16 maps alone: 91.0 %, 0.65×), against 71.3 % for the 32×32 model alone on
    // another draw; from level 0.5 and 0.7 it scored 86 % and 81 %. A shifted noise schedule (snrScale 0.25, the
    // same 12000 steps) did not fix the single stage: 72 %, with the same empty maps. --cascade-level 0: no cascade.
    const cascadeLevel = Number(values['cascade-level'] ?? 0.3);
    if (!(cascadeLevel >= 0 && cascadeLevel <= 1)) {
      throw new Error(`--cascade-level must be a number in [0, 1], got ${values['cascade-level']}`);
    }
    list.push({
      label: 'diffusion-32',
      column: 'jamming_dBm_32',
      denoiser: unet([16, 32, 64], 2),
      snrScale: snr32,
      // lr 2e-3: with the centred preconditioning the 32×32 U-Net at 5e-3 stalled at ε-MSE 0.18 from the first
      // 250 steps (samples were noise); at 2e-3 it reached 0.025 in 1200 steps.
      train: { ...common, lr: lr32, steps: steps32, batchSize: smoke ? 4 : 32 },
      sample: { ...sample, batchSize: 100 },
      ...(cascadeLevel > 0 ? { cascade: { base: 'diffusion-16', level: cascadeLevel } } : {}),
      evalMaps: smoke ? 8 : 300,
      memorisationMaps: smoke ? 20 : 1000,
    });
  }
  return list;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

async function main(): Promise<void> {
  const started = performance.now();
  mkdirSync(outDir, { recursive: true });
  ensureDataset();
  const backend = await initTensorBackend({ logger: silentLogger });
  log(`tensor backend: ${backend.id}; dataset ${dataDir}; output ${outDir}`);
  const root = createRng(seed);

  // The first map size trains here (the mesh replay needs its model in this process), then the event transformer;
  // the other map sizes train in child processes meanwhile (tfjs-wasm uses one core; the machine has two).
  const [first, ...others] = mapExperiments() as [MapExperiment, ...MapExperiment[]];
  const children = others.map((exp) => runMapExperimentInChild({ experiment: exp, dataDir, outDir, seed }));
  for (const c of children) c.result.catch(() => undefined); // awaited below; this only keeps an early failure handled
  const firstResult = await runMapExperiment(first, dataDir, outDir, root.split(first.label), log);
  for (const c of children) c.releaseBase(); // its checkpoint is saved: a cascade may load it
  const mapModel = firstResult.model as DiffusionMapModel; // trained in this process, so present
  const mapResults: MapResult[] = [firstResult];
  const events = await runEventExperiment(
    {
      transformer: { dModel: 64, heads: 4, layers: 2, ffn: 256, openState: true },
      train: {
        steps: Number(values['steps-events'] ?? (smoke ? 10 : 1500)),
        batchSize: smoke ? 8 : 32,
        lr: 2e-3,
        // Relabelling nodes, channels and the square's symmetries: on 3500 timelines the held-out loss kept falling to
        // 2.095 nats/token (best step ~850) against 2.106 at step 450 without it, after which it rose.
        augment: 'mesh-symmetries',
        // The final weight average, not the early-stopped one: the held-out loss over all tokens bottoms out at
        // ~650 steps, when the parameter tokens start to overfit, but the event process is not calibrated yet then.
        // Early-stopped models ended timelines too soon and under-produced closers, giving 5.5-5.6 events per
        // timeline against 5.8 (KS p 0.008-0.055). The final averaged weights gave 5.69 (seed 10: KS D 0.023,
        // p 0.098; held-out loss 2.088 against 2.073). See the plugin README.
        emaDecay: 0.995,
        keepBest: false,
        logEvery: smoke ? 5 : 50,
      },
      sample: { temperature: 1, topK: 0 },
      maxEvents: 16,
    },
    dataDir,
    outDir,
    root.split('events'),
    log,
  );
  // The event transformer trained here while the other map sizes trained in their processes.
  for (const c of children) mapResults.push(await c.result);
  for (const r of mapResults) {
    const exp = r.experiment;
    const rows = mapTableRows(r.report).map((row) => {
      const d = r.mmdDraws[row.set as string];
      const drawn = d ? `${fmt(d.mean)} (${fmt(d.min)}-${fmt(d.max)})` : '';
      // Beside the single-draw ratio; the floor row has no redraw figure (it is part of every draw).
      const cells = Object.entries(row).flatMap(([k, v]) =>
        k === 'mmd_vs_floor'
          ? [[k, v] as const, [`mmd_vs_floor_${MMD_DRAWS}draws`, drawn] as const]
          : [[k, v] as const],
      );
      return {
        ...Object.fromEntries(cells),
        violations_strict: fmt(r.strictViolations[row.set as string] ?? Number.NaN),
      } as TableRow;
    });
    console.log(
      `\nJamming maps ${exp.column} (${r.parameters} parameters, ${exp.train.steps} steps in ${fmt(r.train_wall_s)} s wall / ${fmt(r.train_cpu_s)} s CPU, final ε-MSE ${fmt(r.finalLoss)}, schedule SNR ×${exp.snrScale ?? 1}, ${fmt(r.sample_ms_per_map)} ms per map with ${exp.sample.steps}-step DDIM${exp.cascade ? `; "diffusion" is the cascade from ${exp.cascade.base}, rendered from noise level ${exp.cascade.level}` : ''})`,
    );
    console.log(formatTable(rows));
    console.log(
      `constraints: cells in [${fmt(r.physics.floor_dBm)}, ${fmt(r.physics.strongest_dBm)}] dBm and outside the gap (${fmt(r.physics.noise_dBm - 30)}, ${fmt(r.physics.weakest_dBm - 3)}) dBm (violations_strict: gap from ${fmt(r.physics.floor_dBm + 3)} dBm); hot spots above ${fmt(r.physics.hotspotThreshold_dBm)} dBm dominating ${fmt(r.physics.minRadius_m)} m; held-out ε-MSE by noise band (low → high t): ${r.lossByNoise.map((v) => fmt(v, 2)).join(' ')}`,
    );
    writeFileSync(join(outDir, `${exp.label.replace('diffusion-', 'maps')}.csv`), toCsv(rows));
    await writeGeneratedMaps(
      join(outDir, 'generated', exp.label),
      exp.column,
      r.generated,
      r.generatedConditions,
      MAP_CONDITIONS.map((c) => c.column),
    );
  }

  const eventRows: TableRow[] = eventTableRows(events.report).map((r) => ({
    ...r,
    condition_acc: fmt(events.conditionAccuracy[r.set as string] ?? Number.NaN),
  }));
  console.log(
    `\nEvent timelines (${events.parameters} parameters, weights of step ${events.bestStep}, ${fmt(events.train_wall_s)} s wall / ${fmt(events.train_cpu_s)} s CPU; held-out cross-entropy ${fmt(events.testLoss)} nats/token; ${fmt(events.sample_ms_per_timeline)} ms per timeline)`,
  );
  console.log(formatTable(eventRows));
  console.log(`reference (held-out real) validity: ${JSON.stringify(events.report.referenceValidity)}`);
  writeFileSync(join(outDir, 'events.csv'), toCsv(eventRows));
  await writeGeneratedEvents(join(outDir, 'generated', 'transformer'), events.generated);

  const snap = await readSnapshotMaps(dataDir, 'jamming_dBm_16', MAP_CONDITIONS);
  const env = await runEnvCheck(dataDir, events.model, mapModel, snap, smoke ? 3 : 40, root.split('env'), log);
  const envRows: TableRow[] = env.rows.map((r) => ({ ...r, pdr: fmt(r.pdr), throughput_Mbps: fmt(r.throughput_Mbps) }));
  console.log(
    '\nGenerated scenarios in the tactical mesh (reactive shortest paths, same layouts, loads and seeds as the real ones)',
  );
  console.log(formatTable(envRows));
  for (const e of env.errors) console.log(`  error: ${e}`);
  writeFileSync(join(outDir, 'env.csv'), toCsv(envRows));

  // Targets.
  const checks: { name: string; value: number; ok: boolean; target: string }[] = [];
  for (const r of mapResults) {
    const g = r.report.candidates.diffusion;
    if (!g) continue;
    const tag = r.experiment.label.replace('diffusion-', 'maps');
    // The mean over redraws: one draw of a few hundred maps is too noisy for the verdict (see MMD_DRAWS).
    const mmd = r.mmdDraws.diffusion?.mean ?? Number.NaN;
    checks.push({
      name: `${tag} MMD²/floor (mean of ${MMD_DRAWS} draws)`,
      value: mmd,
      ok: mmd <= TARGET.mmdRatio,
      target: '≤ 2',
    });
    const v = g.constraints?.cellRate ?? Number.NaN;
    checks.push({ name: `${tag} constraint violations (cells)`, value: v, ok: v < TARGET.violations, target: '< 1 %' });
    const a = g.condition?.accuracy ?? Number.NaN;
    checks.push({ name: `${tag} condition accuracy`, value: a, ok: a >= TARGET.conditionAccuracy, target: '≥ 90 %' });
  }
  const t = events.report.candidates.transformer;
  if (t) {
    checks.push({ name: 'events bigram JSD', value: t.bigramJs, ok: t.bigramJs < TARGET.bigramJs, target: '< 0.05' });
    checks.push({
      name: 'events inter-arrival KS p',
      value: t.interArrival.pValue,
      ok: t.interArrival.pValue > TARGET.ksP,
      target: '> 0.05',
    });
    checks.push({
      name: 'events validity violations',
      value: t.validity.violations,
      ok: t.validity.violations === 0,
      target: '= 0',
    });
  }
  const episodes = env.rows.reduce((a, r) => a + r.episodes, 0);
  const ran = env.rows.reduce((a, r) => a + r.ran, 0);
  checks.push({
    name: 'scenarios that ran in the mesh',
    value: ran / Math.max(1, episodes),
    ok: ran === episodes,
    target: 'all',
  });
  console.log('\nTargets (issue 10)');
  console.log(
    formatTable(checks.map((c) => ({ target: c.name, value: fmt(c.value), wanted: c.target, verdict: verdict(c.ok) }))),
  );
  const minutes = (performance.now() - started) / 60000;
  writeFileSync(
    join(outDir, 'summary.json'),
    `${JSON.stringify({ smoke, seed, minutes, checks, maps: mapResults.map((r) => ({ label: r.experiment.label, parameters: r.parameters, train_cpu_s: r.train_cpu_s, report: r.report, mmdDraws: r.mmdDraws })), events: { ...events, model: undefined, generated: undefined }, env }, null, 2)}\n`,
  );
  const met = checks.filter((c) => c.ok).length;
  const part = (name: string) => checks.find((c) => c.name === name);
  const m16 = part(`maps16 MMD²/floor (mean of ${MMD_DRAWS} draws)`);
  const e1 = part('events bigram JSD');
  const e2 = part('events inter-arrival KS p');
  console.log(
    `reproduce:generative-fidelity ${met}/${checks.length} targets met in ${minutes.toFixed(1)} min: maps16 MMD ${fmt(m16?.value ?? Number.NaN)}× floor, violations ${fmt(100 * (part('maps16 constraint violations (cells)')?.value ?? Number.NaN))} %, condition ${fmt(100 * (part('maps16 condition accuracy')?.value ?? Number.NaN))} %; events bigram JSD ${fmt(e1?.value ?? Number.NaN)}, KS p ${fmt(e2?.value ?? Number.NaN)}, ${part('events validity violations')?.value} invalid; ${ran}/${episodes} scenarios ran${smoke ? ' [smoke: targets not enforced]' : ''}`,
  );
  for (const r of mapResults) r.model?.dispose();
  events.model.dispose();
  if (!smoke && met < checks.length) process.exitCode = 1;
}

await main();
