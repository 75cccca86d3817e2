// One diffusion map experiment: train a DiffusionMapModel on one grid column of the mesh dataset, sample as many
// maps as the held-out reference has, and score them, two baselines and a second real sample with the fidelity suite.
import { join } from 'node:path';
import type { Rng } from '@twinforge/core';
import {
  constraintViolations,
  evaluateMaps,
  type MapCandidate,
  type MapFidelityReport,
  type MapSet,
  type MmdRatioOverDraws,
  mmdRatiosOverDraws,
} from '@twinforge/fidelity';
import {
  type ConditionSpec,
  type ConditionValues,
  DiffusionMapModel,
  type DiffusionModelConfigInput,
  readSnapshotMaps,
  type SampleConfigInput,
  sampleCascade,
  type TrainConfigInput,
} from '@twinforge/plugin-gen-diffusion';
import { hotspotWindow, type JammingPhysics, jammingPhysics } from './jamming-constraints.js';
import { realRedraws } from './redraws.js';
import { cpuSeconds, pick } from './sampling.js';
import { splitRows } from './split.js';

export const MAP_CONDITIONS: ConditionSpec[] = [
  { name: 'jammers', column: 'jammer_count', levels: 4 },
  { name: 'loadLevel', column: 'load_level', levels: 5 },
];

/** JammingPhysics without its constraint objects (which hold functions): what a result can carry as JSON. */
function physicsFigures(p: JammingPhysics): MapResult['physics'] {
  const { constraints: _constraints, strict: _strict, ...figures } = p;
  return figures;
}

/** Redraws of reference and floor behind the MMD verdict. */
export const MMD_DRAWS = 5;

export interface MapExperiment {
  readonly label: string;
  readonly column: string;
  readonly denoiser: DiffusionModelConfigInput['denoiser'];
  /** The noise schedule's SNR factor (DiffusionModelConfig.snrScale; default 1). */
  readonly snrScale?: number;
  readonly train: TrainConfigInput;
  readonly sample: SampleConfigInput;
  /** Maps per evaluated set (reference, floor, generated, baselines). */
  readonly evalMaps: number;
  /** Training maps the memorisation check compares against (subsampled: it is O(n·m)). */
  readonly memorisationMaps: number;
  /**
   * Generate as a cascade: the model `base` (another experiment's label; its checkpoint under outDir/models) samples
   * the layout at its lower resolution, upsampled by nearest neighbour, and this model renders it from noise level
   * `level` (DiffusionMapModel.refine). The row "diffusion" is then the cascade and "diffusion, single stage" is this
   * model sampled alone.
   */
  readonly cascade?: { readonly base: string; readonly level: number };
  /** Also score samples drawn with these sampler settings over `sample` (a row "diffusion, <name>"). */
  readonly compareSample?: { readonly name: string; readonly config: SampleConfigInput };
}

export interface MapResult {
  readonly experiment: MapExperiment;
  readonly report: MapFidelityReport;
  /** The trained model; absent when the experiment ran in another process (it is saved under outDir/models). */
  readonly model?: DiffusionMapModel;
  readonly parameters: number;
  readonly train_cpu_s: number;
  readonly train_wall_s: number;
  readonly finalLoss: number;
  readonly sample_ms_per_map: number;
  readonly lossByNoise: number[];
  /** Detector accuracy on held-out real maps: the ceiling for condition accuracy. */
  readonly realConditionAccuracy: number;
  /** Per candidate: the MMD ratio over MMD_DRAWS jammer-count-matched redraws of reference and floor. */
  readonly mmdDraws: Readonly<Record<string, MmdRatioOverDraws>>;
  /** Cell rate of the strict constraint set per candidate (and 'real (floor)'). */
  readonly strictViolations: Readonly<Record<string, number>>;
  /** The physical figures behind the constraints and the hot-spot detector (the constraint objects stay here). */
  readonly physics: Omit<JammingPhysics, 'constraints' | 'strict'>;
  /** The generated maps (guidance as configured) and the condition rows they were sampled for. */
  readonly generated: Float32Array[];
  readonly generatedConditions: ConditionValues[];
}

/**
 * Per-condition mean of the training maps (the trivial "blurry" baseline): one map per requested condition. A
 * condition no training map has (small datasets) falls back to the mean over the same jammer count, then over all.
 */
function conditionMeans(
  maps: readonly Float32Array[],
  conds: readonly ConditionValues[],
  want: readonly ConditionValues[],
) {
  const sums = new Map<string, { sum: Float64Array; n: number }>();
  const add = (key: string, m: Float32Array) => {
    const e = sums.get(key) ?? { sum: new Float64Array(m.length), n: 0 };
    for (let k = 0; k < m.length; k++) e.sum[k] = (e.sum[k] as number) + (m[k] as number);
    e.n++;
    sums.set(key, e);
  };
  maps.forEach((m, i) => {
    const c = conds[i] as ConditionValues;
    add(JSON.stringify(c), m);
    add(`jammers ${c[0]}`, m);
    add('all', m);
  });
  return want.map((c) => {
    const e = sums.get(JSON.stringify(c)) ?? sums.get(`jammers ${c[0]}`) ?? sums.get('all');
    if (!e) throw new Error('no training maps');
    return Float32Array.from(e.sum, (v) => v / e.n);
  });
}

export async function runMapExperiment(
  exp: MapExperiment,
  root: string,
  outDir: string,
  rng: Rng,
  log: (line: string) => void,
  /** Loads another experiment's trained model by label (for `cascade`); called once its checkpoint exists. */
  loadBase?: (label: string) => Promise<DiffusionMapModel>,
): Promise<MapResult> {
  const data = await readSnapshotMaps(root, exp.column, MAP_CONDITIONS);
  const rows = splitRows(data.scenarioIndex);
  // The diffusion model trains on the train split; the validation split is the second real sample (the floor), so
  // that every real-vs-real figure, memorisation included, compares held-out maps.
  const train = rows.train;
  const info = data.info as {
    area_m?: number[];
    load_levels_Mbps?: number[];
    generator?: { config?: Record<string, unknown> };
  };
  const physics = jammingPhysics(info.generator?.config ?? {});
  const model = DiffusionMapModel.create(
    {
      width: data.width,
      height: data.height,
      timesteps: 300,
      ...(exp.snrScale === undefined ? {} : { snrScale: exp.snrScale }),
      denoiser: exp.denoiser,
      conditions: MAP_CONDITIONS,
      codec: { column: exp.column, name: 'jamming_dBm', unit: 'dBm', lo: physics.floor_dBm, hi: 0 },
    },
    rng.split('init'),
  );
  model.metadata = { area_m: info.area_m ?? [5000, 5000], load_levels_Mbps: info.load_levels_Mbps ?? [] };
  log(`${exp.label}: ${model.parameterCount} parameters, ${train.length} training maps ${data.width}x${data.height}`);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const result = model.train(
    {
      maps: train.map((i) => data.maps[i] as Float32Array),
      conditions: train.map((i) => data.conditions[i] as ConditionValues),
    },
    exp.train,
    rng.split('train'),
    {
      onProgress: (p) =>
        log(`${exp.label}: step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} (${p.elapsed_s.toFixed(0)} s)`),
    },
  );
  const train_cpu_s = cpuSeconds(cpu0);
  const train_wall_s = (performance.now() - wall0) / 1000;
  await model.save(join(outDir, 'models', exp.label));

  const evalRng = rng.split('eval');
  const n = Math.min(exp.evalMaps, rows.test.length, rows.validation.length);
  const reference = pick(rows.test, n, evalRng.split('reference'));
  const floorRows = pick(rows.validation, n, evalRng.split('floor'));
  const floorConds = floorRows.map((i) => data.conditions[i] as ConditionValues);
  const targets = floorConds.map((c) => c[0] as number);
  const s0 = performance.now();
  const single = model.sample(floorConds, evalRng.split('sample'), exp.sample);
  let sample_ms_per_map = (performance.now() - s0) / n;
  const set = (maps: Float32Array[]): MapSet => ({ width: data.width, height: data.height, maps });
  let generated = single;
  const extra: Record<string, MapCandidate> = {};
  if (exp.cascade) {
    if (!loadBase) throw new Error(`${exp.label}: a cascade needs its base model (${exp.cascade.base})`);
    const base = await loadBase(exp.cascade.base);
    const c0 = performance.now();
    generated = sampleCascade(model, { base, level: exp.cascade.level }, floorConds, evalRng, exp.sample);
    sample_ms_per_map = (performance.now() - c0) / n;
    base.dispose();
    extra['diffusion, single stage'] = { maps: set(single), targets };
  }
  const shuffled = pick(train, n, evalRng.split('shuffled')).map((i) => data.maps[i] as Float32Array);
  const candidates: Record<string, MapCandidate> = {
    diffusion: { maps: set(generated), targets },
    'mean map per condition': {
      maps: set(
        conditionMeans(
          train.map((i) => data.maps[i] as Float32Array),
          train.map((i) => data.conditions[i] as ConditionValues),
          floorConds,
        ),
      ),
      targets,
    },
    'real maps, condition ignored': { maps: set(shuffled), targets },
    ...extra,
  };
  if (exp.compareSample !== undefined) {
    candidates[`diffusion, ${exp.compareSample.name}`] = {
      maps: set(
        model.sample(floorConds, evalRng.split('sample-guided'), { ...exp.sample, ...exp.compareSample.config }),
      ),
      targets,
    };
  }
  const memo = pick(train, exp.memorisationMaps, evalRng.split('memorisation'));
  const report = evaluateMaps(
    {
      reference: set(reference.map((i) => data.maps[i] as Float32Array)),
      training: set(memo.map((i) => data.maps[i] as Float32Array)),
      constraints: physics.constraints,
      hotspots: {
        threshold: physics.hotspotThreshold_dBm,
        window: hotspotWindow(physics, (info.area_m?.[0] ?? 5000) / data.width),
      },
    },
    { maps: set(floorRows.map((i) => data.maps[i] as Float32Array)), targets },
    candidates,
  );
  // The single-draw ratio above swings 0.4×–1.5× for a second set of real maps; the verdict uses its mean over
  // MMD_DRAWS redraws of reference and floor, each matched to the generated set's jammer counts.
  const draws = realRedraws(rows, data.conditions, floorConds, MMD_DRAWS, evalRng.split('mmd-draws'));
  const drawSets = draws.map((d) => ({
    reference: set(d.reference.map((i) => data.maps[i] as Float32Array)),
    floor: set(d.floor.map((i) => data.maps[i] as Float32Array)),
  }));
  const mmdDraws: Record<string, MmdRatioOverDraws> = mmdRatiosOverDraws(
    Object.fromEntries(Object.entries(candidates).map(([name, c]) => [name, c.maps])),
    drawSets,
    { bandwidth: report.bandwidth },
  );
  const strictViolations: Record<string, number> = {
    'real (floor)': constraintViolations(set(floorRows.map((i) => data.maps[i] as Float32Array)), physics.strict)
      .cellRate,
  };
  for (const [name, c] of Object.entries(candidates))
    strictViolations[name] = constraintViolations(c.maps, physics.strict).cellRate;
  const testExamples = {
    maps: reference.map((i) => data.maps[i] as Float32Array),
    conditions: reference.map((i) => data.conditions[i] as ConditionValues),
  };
  const lossByNoise = model.lossByNoiseLevel(testExamples, evalRng.split('loss-bands'), 10, 128);
  return {
    experiment: exp,
    report,
    model,
    parameters: model.parameterCount,
    train_cpu_s,
    train_wall_s,
    finalLoss: result.finalLoss,
    sample_ms_per_map,
    lossByNoise,
    realConditionAccuracy: report.floor.condition?.accuracy ?? Number.NaN,
    strictViolations,
    mmdDraws,
    physics: physicsFigures(physics),
    generated,
    generatedConditions: floorConds,
  };
}
