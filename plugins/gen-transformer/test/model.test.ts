import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, createRng, isTwinforgeError, type ScenarioEvent, silentLogger } from '@twinforge/core';
import { timelineViolations } from '@twinforge/fidelity';
import { ReactiveShortestPath, TacticalMeshEnv } from '@twinforge/plugin-env-tactical-mesh';
import { countParameters, getFlatWeights, setFlatWeights } from '@twinforge/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transformerPlugin, { EventScenarioGenerator, EventSequenceModel, readScenarioTimelines } from '../src/index.js';
import { backend, RULES, smallVocabulary } from './helpers.js';

beforeAll(backend);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tiny = (seed: number, maxEvents = 6) =>
  EventSequenceModel.create(
    { vocabulary: smallVocabulary(maxEvents), transformer: { dModel: 16, heads: 2, layers: 1, ffn: 32 } },
    createRng(seed),
  );

describe('constrained decoding over random weights (issue 10 must-show)', () => {
  it('never emits an invalid timeline, for any weights, temperature and top-k (property)', () => {
    const model = tiny(1);
    const n = countParameters(model.network);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.01, max: 20, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        (seed, scale, temperature, topK) => {
          const rng = createRng(seed);
          setFlatWeights(model.network, rng.fillNormal(new Float32Array(n), 0, scale));
          const conds = Array.from({ length: 8 }, () => [rng.bernoulli(0.2) ? null : rng.int(0, 3), rng.int(0, 4)]);
          const timelines = model.sample(conds, rng, { temperature, topK });
          for (const tl of timelines) expect(timelineViolations(tl, RULES)).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
    model.dispose();
  });
  it('the same random weights decoded without the constraints do break rules (the property is not vacuous)', () => {
    const model = tiny(2);
    const rng = createRng(3);
    setFlatWeights(model.network, rng.fillNormal(new Float32Array(countParameters(model.network)), 0, 2));
    const timelines = model.sample(
      Array.from({ length: 32 }, () => [1, 2]),
      rng,
      { constrained: false },
    );
    const bad = timelines.filter((tl) => timelineViolations(tl, RULES).length > 0).length;
    expect(bad).toBeGreaterThan(0);
    model.dispose();
  });
});

/** A toy corpus: the jammer condition says how many jammers turn on, always at 10 s, 20 s, 30 s. */
function corpus(n: number) {
  const timelines: ScenarioEvent[][] = [];
  const conditions: number[][] = [];
  for (let i = 0; i < n; i++) {
    const j = i % 3;
    const tl: ScenarioEvent[] = [];
    for (let k = 0; k < j; k++) {
      tl.push({
        kind: 'jammer-on',
        t: 10 * (k + 1) + 1,
        jammer: k,
        position: { x: 1000, y: 1000 },
        radius_m: 1000,
        power_W: 1,
        channel: 0,
      });
    }
    timelines.push(tl);
    conditions.push([j, 0]);
  }
  return { timelines, conditions };
}

describe('EventSequenceModel', () => {
  it('learns a toy corpus (the loss falls) and save → load reproduces samples; foreign checkpoints are refused', async () => {
    const model = tiny(4);
    const data = corpus(30);
    const r = model.train(data, { steps: 120, batchSize: 16, lr: 1e-2, logEvery: 40 }, createRng(5), {
      validation: corpus(6),
    });
    expect(r.finalLoss).toBeLessThan((r.history[0]?.loss as number) * 0.6);
    expect(r.bestStep).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'tf-transformer-'));
    dirs.push(dir);
    model.metadata = { load_levels_Mbps: [1, 2, 4, 6, 8] };
    await model.save(dir);
    const loaded = await EventSequenceModel.load(dir);
    expect(getFlatWeights(loaded.network)).toEqual(getFlatWeights(model.network));
    expect(loaded.metadata).toEqual({ load_levels_Mbps: [1, 2, 4, 6, 8] });
    const a = model.sample(
      [
        [2, 0],
        [0, 0],
      ],
      createRng(6),
    );
    const b = loaded.sample(
      [
        [2, 0],
        [0, 0],
      ],
      createRng(6),
    );
    expect(b).toEqual(a);
    loaded.dispose();
    model.dispose();
    await expect(EventSequenceModel.load(join(dir, 'nope'))).rejects.toSatisfy((e) => isTwinforgeError(e));
  });
});

describe('EventScenarioGenerator', () => {
  it('returns valid scenarios that the tactical mesh replays for a whole episode', () => {
    const model = tiny(7, 6);
    setFlatWeights(model.network, createRng(8).fillNormal(new Float32Array(countParameters(model.network)), 0, 1));
    model.metadata = { load_levels_Mbps: [1, 2, 4, 6, 8] };
    const gen = new EventScenarioGenerator(model, { layoutSeed: 3 });
    const scenarios = gen.sampleMany(
      Array.from({ length: 4 }, (_, i) => ({ jammers: i % 4, loadLevel: 2 })),
      createRng(9),
    );
    const env = new TacticalMeshEnv({ nodes: 20 });
    for (const s of scenarios) {
      expect(s.params).toMatchObject({ loadLevel: 2, offeredLoad_Mbps: 4, layoutSeed: 3 });
      expect(timelineViolations(s.events, RULES)).toEqual([]);
      env.reset({ seed: 1, options: { scenario: s } });
      const ctl = new ReactiveShortestPath();
      ctl.reset(env);
      let steps = 0;
      while (env.agents.length > 0) {
        ctl.step(env);
        steps++;
      }
      expect(steps).toBe(env.config.horizon);
    }
    expect(() => gen.sample({ loadLevel: 9 }, createRng(1))).toThrow(/loadLevel/);
    model.dispose();
  });
});

describe('plugin and dataset', () => {
  it('registers transformer-events; without a model creating it is MODEL_INVALID', async () => {
    const model = tiny(10);
    const host = await createHost({
      plugins: [{ plugin: transformerPlugin, options: { models: { toy: model } } }],
      logger: silentLogger,
    });
    const gen = host.createGenerator('transformer-events', {}, host.defaultDeps('test'));
    expect(Array.isArray(gen.sample({}, createRng(1)).events)).toBe(true);
    await host.dispose();
    const bare = await createHost({ plugins: [transformerPlugin], logger: silentLogger });
    expect(() => bare.createGenerator('transformer-events', {}, bare.defaultDeps('test'))).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID' }),
    );
    await bare.dispose();
    model.dispose();
  });
  it('a missing dataset is DATASET_NOT_FOUND', async () => {
    await expect(readScenarioTimelines('/nonexistent', [])).rejects.toSatisfy((e) =>
      isTwinforgeError(e, 'DATASET_NOT_FOUND'),
    );
  });
});
