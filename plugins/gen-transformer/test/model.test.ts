import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, createRng, isTwinforgeError, type ScenarioEvent, silentLogger } from '@twinforge/core';
import { timelineViolations } from '@twinforge/fidelity';
import { ReactiveShortestPath, TacticalMeshEnv } from '@twinforge/plugin-env-tactical-mesh';
import { countParameters, getFlatWeights, setFlatWeights, tf } from '@twinforge/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import transformerPlugin, {
  EventScenarioGenerator,
  EventSequenceModel,
  openStateCount,
  readScenarioTimelines,
} from '../src/index.js';
import { backend, RULES, smallVocabulary } from './helpers.js';

beforeAll(backend);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tiny = (seed: number, maxEvents = 6, timeEncoding: 'absolute' | 'delta' = 'absolute') =>
  EventSequenceModel.create(
    {
      vocabulary: smallVocabulary(maxEvents, timeEncoding),
      transformer: { dModel: 16, heads: 2, layers: 1, ffn: 32 },
    },
    createRng(seed),
  );

describe.each(['absolute', 'delta'] as const)(
  'constrained decoding over random weights, %s times (issue 10 must-show)',
  (timeEncoding) => {
    it('never emits an invalid timeline, for any weights, temperature and top-k (property)', () => {
      const model = tiny(1, 6, timeEncoding);
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
      const model = tiny(2, 6, timeEncoding);
      let bad = 0;
      // A few weight draws: one draw alone can put nearly all mass on EOS.
      for (const seed of [3, 4, 5, 6]) {
        const rng = createRng(seed);
        setFlatWeights(model.network, rng.fillNormal(new Float32Array(countParameters(model.network)), 0, 0.5));
        const timelines = model.sample(
          Array.from({ length: 32 }, () => [1, 2]),
          rng,
          { constrained: false },
        );
        bad += timelines.filter((tl) => timelineViolations(tl, RULES).length > 0).length;
      }
      expect(bad).toBeGreaterThan(0);
      model.dispose();
    });
  },
);

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

describe('open-state input', () => {
  it('changes the logits when the states differ, is required when on, and adds no table when off', () => {
    const on = tiny(12);
    const tokens = tf.tensor2d([[1, 3, 9, 20]], [1, 4], 'int32');
    const a = on.network.logits(tokens, undefined, tf.tensor2d([[0, 0, 0, 0]], [1, 4], 'int32'));
    const b = on.network.logits(tokens, undefined, tf.tensor2d([[0, 0, 0, 5]], [1, 4], 'int32'));
    const rows = (t: tf.Tensor) => Array.from(t.dataSync());
    const V = on.vocab.size;
    // Causal: the first three positions agree, the last (whose state differs) does not.
    expect(rows(a).slice(0, 3 * V)).toEqual(rows(b).slice(0, 3 * V));
    expect(rows(a).slice(3 * V)).not.toEqual(rows(b).slice(3 * V));
    expect(() => on.network.logits(tokens)).toThrow(/open states/);
    const off = EventSequenceModel.create(
      {
        vocabulary: smallVocabulary(),
        transformer: { dModel: 16, heads: 2, layers: 1, ffn: 32, openState: false },
      },
      createRng(12),
    );
    expect(countParameters(on.network) - countParameters(off.network)).toBe(openStateCount(on.vocab) * 16);
    expect(off.network.usesOpenState).toBe(false);
    for (const t of [tokens, a, b]) t.dispose();
    on.dispose();
    off.dispose();
  });
});

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
  it('loads a v1 checkpoint (before openState) as a model without the open-state input; refuses unknown versions', async () => {
    const model = EventSequenceModel.create(
      {
        vocabulary: smallVocabulary(6, 'absolute'),
        transformer: { dModel: 16, heads: 2, layers: 1, ffn: 32, openState: false },
      },
      createRng(4),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tf-transformer-v1-'));
    dirs.push(dir);
    await model.save(dir);
    const file = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.metadata.version = 1;
    delete manifest.metadata.config.transformer.openState;
    writeFileSync(file, JSON.stringify(manifest));
    const loaded = await EventSequenceModel.load(dir);
    expect(loaded.network.usesOpenState).toBe(false);
    expect(getFlatWeights(loaded.network)).toEqual(getFlatWeights(model.network));
    expect(loaded.sample([[1, 0]], createRng(9))).toEqual(model.sample([[1, 0]], createRng(9)));
    manifest.metadata.version = 3;
    writeFileSync(file, JSON.stringify(manifest));
    await expect(EventSequenceModel.load(dir)).rejects.toMatchObject({ code: 'CHECKPOINT_INVALID' });
    loaded.dispose();
    model.dispose();
  });
});

describe('weight averaging', () => {
  it('returns the moving average of the iterates (one step: 0.1·initial + 0.9·trained, the warm-up decay)', () => {
    const data = corpus(12);
    const cfg = { steps: 1, batchSize: 4, lr: 1e-2, logEvery: 1, keepBest: false };
    const plain = tiny(21);
    const w0 = getFlatWeights(plain.network);
    plain.train(data, { ...cfg, emaDecay: 0 }, createRng(22));
    const w1 = getFlatWeights(plain.network);
    const averaged = tiny(21);
    averaged.train(data, { ...cfg, emaDecay: 0.99 }, createRng(22));
    const got = getFlatWeights(averaged.network);
    expect(w1).not.toEqual(w0);
    let worst = 0;
    got.forEach((g, i) => {
      worst = Math.max(worst, Math.abs(g - (0.1 * (w0[i] as number) + 0.9 * (w1[i] as number))));
    });
    expect(worst).toBeLessThan(1e-6);
    plain.dispose();
    averaged.dispose();
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
