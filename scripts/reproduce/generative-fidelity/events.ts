// The event experiment: train the EventSequenceModel on the mesh dataset's timelines (early stopping on the
// validation scenarios), sample one timeline per reference timeline, and score it, the unconstrained decoding of the
// same model, a bag-of-events baseline and a second real sample with the fidelity suite.
import { join } from 'node:path';
import type { Rng, ScenarioEvent } from '@twinforge/core';
import { type EventFidelityReport, evaluateEvents, type TimelineRules } from '@twinforge/fidelity';
import {
  EventSequenceModel,
  fitVocabulary,
  type PrefixCondition,
  readScenarioTimelines,
  type SampleConfigInput,
  type TrainConfigInput,
  type TransformerConfigInput,
} from '@twinforge/plugin-gen-transformer';
import { cpuSeconds, pick } from './sampling.js';
import { splitRows } from './split.js';

export const EVENT_CONDITIONS: PrefixCondition[] = [
  { name: 'jammers', column: 'jammers', levels: 4 },
  { name: 'loadLevel', column: 'load_level', levels: 5 },
];

export interface EventExperiment {
  readonly transformer: TransformerConfigInput;
  readonly train: TrainConfigInput;
  readonly sample: SampleConfigInput;
  readonly maxEvents: number;
}

export interface EventResult {
  readonly report: EventFidelityReport;
  readonly model: EventSequenceModel;
  readonly rules: TimelineRules;
  readonly parameters: number;
  readonly train_cpu_s: number;
  readonly train_wall_s: number;
  /** Step whose (averaged) weights were kept: the best validation step with keepBest, else the last one. */
  readonly bestStep: number | undefined;
  readonly validationLoss: number | undefined;
  readonly testLoss: number;
  readonly sample_ms_per_timeline: number;
  /** Share of timelines with exactly as many jammer-on events as their `jammers` condition. */
  readonly conditionAccuracy: Readonly<Record<string, number>>;
  /** The constrained transformer's timelines (one per floor condition row). */
  readonly generated: ScenarioEvent[][];
}

const jammerCount = (tl: readonly ScenarioEvent[]) => tl.filter((e) => e.kind === 'jammer-on').length;

/**
 * Bag-of-events baseline: as many events as a random training timeline has, each a copy of a random training event
 * of a kind drawn from the training unigram distribution, at sorted uniform times over the horizon. Right marginals,
 * no sequence structure.
 */
function bagOfEvents(
  train: readonly (readonly ScenarioEvent[])[],
  n: number,
  horizon: number,
  rng: Rng,
): ScenarioEvent[][] {
  const all = train.flat();
  return Array.from({ length: n }, () => {
    const len = (train[rng.int(0, train.length - 1)] as readonly ScenarioEvent[]).length;
    const times = Array.from({ length: len }, () => rng.uniform(0, horizon)).sort((a, b) => a - b);
    return times.map((t) => ({ ...(all[rng.int(0, all.length - 1)] as ScenarioEvent), t }));
  });
}

export async function runEventExperiment(
  exp: EventExperiment,
  root: string,
  outDir: string,
  rng: Rng,
  log: (line: string) => void,
): Promise<EventResult> {
  const data = await readScenarioTimelines(root, EVENT_CONDITIONS);
  const rows = splitRows(data.scenarioIndex);
  const info = data.info as {
    nodes?: number;
    area_m?: number[];
    load_levels_Mbps?: number[];
    mesh?: { channels?: number; horizon?: number; dt_s?: number };
    generator?: { config?: { maxJammers?: number } };
  };
  const rules: TimelineRules = {
    nodes: info.nodes ?? 20,
    maxJammers: info.generator?.config?.maxJammers ?? 3,
    channels: info.mesh?.channels ?? 3,
    horizon_s: (info.mesh?.horizon ?? 100) * (info.mesh?.dt_s ?? 1),
    width_m: info.area_m?.[0] ?? 5000,
    height_m: info.area_m?.[1] ?? 5000,
  };
  const ex = (idx: readonly number[]) => ({
    timelines: idx.map((i) => data.timelines[i] as ScenarioEvent[]),
    conditions: idx.map((i) => data.conditions[i] as (number | null)[]),
  });
  const vocabulary = fitVocabulary(ex(rows.train).timelines, {
    nodes: rules.nodes,
    maxJammers: rules.maxJammers as number,
    channels: rules.channels as number,
    horizon_s: rules.horizon_s as number,
    width_m: rules.width_m as number,
    height_m: rules.height_m as number,
    conditions: EVENT_CONDITIONS,
    maxEvents: exp.maxEvents,
  });
  const model = EventSequenceModel.create({ vocabulary, transformer: exp.transformer }, rng.split('init'));
  model.metadata = { load_levels_Mbps: info.load_levels_Mbps ?? [] };
  log(
    `transformer: ${model.parameterCount} parameters, vocabulary ${model.vocab.size}, ${rows.train.length} training timelines`,
  );
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const trained = model.train(ex(rows.train), exp.train, rng.split('train'), {
    validation: ex(rows.validation),
    onProgress: (p) =>
      log(
        `transformer: step ${p.step}/${p.steps} loss ${p.loss.toFixed(3)} validation ${p.validationLoss?.toFixed(3)} (${p.elapsed_s.toFixed(0)} s)`,
      ),
  });
  const train_cpu_s = cpuSeconds(cpu0);
  const train_wall_s = (performance.now() - wall0) / 1000;
  await model.save(join(outDir, 'models', 'transformer'));

  const evalRng = rng.split('eval');
  const reference = rows.test.map((i) => data.timelines[i] as ScenarioEvent[]);
  const floorRows = pick(rows.train, reference.length, evalRng.split('floor'));
  const floorConds = floorRows.map((i) => data.conditions[i] as (number | null)[]);
  const s0 = performance.now();
  const generated = model.sample(floorConds, evalRng.split('sample'), exp.sample);
  const sample_ms_per_timeline = (performance.now() - s0) / floorConds.length;
  const unconstrained = model.sample(floorConds, evalRng.split('sample-unconstrained'), {
    ...exp.sample,
    constrained: false,
  });
  const bag = bagOfEvents(ex(rows.train).timelines, floorConds.length, rules.horizon_s as number, evalRng.split('bag'));
  const floor = floorRows.map((i) => data.timelines[i] as ScenarioEvent[]);
  const report = evaluateEvents(
    reference,
    floor,
    { transformer: generated, 'transformer, unconstrained': unconstrained, 'bag of events': bag },
    rules,
  );
  const accuracy = (tls: readonly (readonly ScenarioEvent[])[]) =>
    tls.filter((tl, k) => jammerCount(tl) === floorConds[k]?.[0]).length / Math.max(1, tls.length);
  return {
    report,
    model,
    generated,
    rules,
    parameters: model.parameterCount,
    train_cpu_s,
    train_wall_s,
    bestStep: trained.bestStep ?? trained.steps,
    validationLoss: trained.bestValidationLoss,
    testLoss: model.loss(ex(rows.test)),
    sample_ms_per_timeline,
    conditionAccuracy: {
      'real (floor)': accuracy(floor),
      transformer: accuracy(generated),
      'transformer, unconstrained': accuracy(unconstrained),
      'bag of events': accuracy(bag),
    },
  };
}
