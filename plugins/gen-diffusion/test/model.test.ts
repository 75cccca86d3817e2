import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, createRng, isTwinforgeError, silentLogger } from '@twinforge/core';
import { ReactiveShortestPath, TacticalMeshEnv } from '@twinforge/plugin-env-tactical-mesh';
import { tf } from '@twinforge/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import diffusionPlugin, {
  DiffusionMapModel,
  DiffusionScenarioGenerator,
  sampleCascade,
  upsampleNearest,
} from '../src/index.js';
import { backend } from './setup.js';

beforeAll(backend);

const codec = { column: 'jamming_dBm_4', name: 'jamming_dBm', unit: 'dBm', lo: -150, hi: 0 };
const specs = [{ name: 'jammers', column: 'jammer_count', levels: 2 }];

/** Two classes of 4×4 maps: no jammer (all floor) and one hot corner. */
function toyData(n: number) {
  const maps = Array.from({ length: n }, (_, i) =>
    Float32Array.from({ length: 16 }, (_, k) => (i % 2 === 1 && (k === 0 || k === 1 || k === 4) ? -40 : -150)),
  );
  return { maps, conditions: maps.map((_, i) => [i % 2]) };
}

/** A small MLP-denoiser model of side×side maps (4×4 unless given). */
function tinyModel(
  seed: number,
  opts: { selfCondition?: boolean; side?: number; hidden?: number; embDim?: number } = {},
) {
  const { selfCondition = false, side = 4, hidden = 64, embDim = 32 } = opts;
  return DiffusionMapModel.create(
    {
      width: side,
      height: side,
      timesteps: 200,
      denoiser: { kind: 'mlp', hidden, blocks: side === 4 ? 2 : 1, embDim, selfCondition },
      conditions: specs,
      codec: { ...codec, column: `jamming_dBm_${side}` },
    },
    createRng(seed),
  );
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('DiffusionMapModel', () => {
  it.each([
    ['plain', false],
    ['self-conditioned', true],
  ])('%s: learns a conditional toy distribution, the loss falls and guided samples follow the condition', (_, sc) => {
    const model = tinyModel(1, { selfCondition: sc });
    const r = model.train(
      toyData(64),
      { steps: 300, batchSize: 32, lr: 1e-2, logEvery: 50, emaDecay: 0.95 },
      createRng(2),
    );
    const first = r.history[0]?.loss as number;
    expect(r.finalLoss).toBeLessThan(first * 0.5);
    const before = tf.memory().numTensors;
    const [off, on] = model.sample([[0], [1]], createRng(3), { steps: 20, guidance: 2 });
    expect(tf.memory().numTensors).toBe(before);
    // The hot corner (cells 0, 1, 4) is jammed only under jammers = 1.
    const corner = (m: Float32Array) => ((m[0] as number) + (m[1] as number) + (m[4] as number)) / 3;
    expect(corner(on as Float32Array)).toBeGreaterThan(-90);
    expect(corner(off as Float32Array)).toBeLessThan(-120);
    model.dispose();
  });

  it.each([
    ['plain', false],
    ['self-conditioned', true],
  ])('%s: save → load gives the same samples for the same seed; a foreign checkpoint is refused', async (_, sc) => {
    const model = tinyModel(4, { selfCondition: sc });
    model.train(toyData(16), { steps: 20, batchSize: 8, logEvery: 10 }, createRng(5));
    model.metadata = { area_m: [5000, 5000] };
    const dir = mkdtempSync(join(tmpdir(), 'tf-diffusion-'));
    dirs.push(dir);
    await model.save(dir);
    const loaded = await DiffusionMapModel.load(dir);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.metadata).toEqual({ area_m: [5000, 5000] });
    const a = model.sample([[1], [0]], createRng(9), { steps: 10 });
    const b = loaded.sample([[1], [0]], createRng(9), { steps: 10 });
    expect(b.map((m) => Array.from(m))).toEqual(a.map((m) => Array.from(m)));
    loaded.dispose();
    model.dispose();
    await expect(DiffusionMapModel.load(join(dir, 'missing'))).rejects.toSatisfy((e) => isTwinforgeError(e));
    const file = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.metadata.kind = 'twinforge-event-transformer';
    writeFileSync(file, JSON.stringify(manifest));
    await expect(DiffusionMapModel.load(dir)).rejects.toSatisfy(
      (e) => isTwinforgeError(e, 'CHECKPOINT_INVALID') && /metadata\.kind/.test((e as Error).message),
    );
  });

  it('refine (SDEdit) keeps the given layout from low noise and follows the condition from full noise', () => {
    const model = tinyModel(11);
    model.train(toyData(64), { steps: 300, batchSize: 32, lr: 1e-2, logEvery: 50, emaDecay: 0.95 }, createRng(12));
    const hot = toyData(2).maps[1] as Float32Array; // the hot corner, given under the condition "no jammer"
    const corner = (m: Float32Array) => ((m[0] as number) + (m[1] as number) + (m[4] as number)) / 3;
    const cfg = { steps: 20, guidance: 1 };
    const [low] = model.refine([hot], [[0]], 0.1, createRng(13), cfg);
    expect(corner(low as Float32Array)).toBeGreaterThan(-90);
    const [full] = model.refine([hot], [[0]], 1, createRng(13), cfg);
    expect(corner(full as Float32Array)).toBeLessThan(-120);
    const [again] = model.refine([hot], [[0]], 0.1, createRng(13), cfg);
    expect(Array.from(again as Float32Array)).toEqual(Array.from(low as Float32Array));
    const invalid = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    invalid(() => model.refine([hot, hot], [[0]], 0.5, createRng(1)));
    invalid(() => model.refine([new Float32Array(9)], [[0]], 0.5, createRng(1)));
    for (const level of [0, 1.5, Number.NaN]) invalid(() => model.refine([hot], [[0]], level, createRng(1)));
    model.dispose();
  });

  it('rejects maps of the wrong size and unknown condition values', () => {
    const model = tinyModel(6);
    expect(() => model.train({ maps: [new Float32Array(9)], conditions: [[0]] }, { steps: 1 }, createRng(1))).toThrow(
      /9 values/,
    );
    const gen = new DiffusionScenarioGenerator(model);
    expect(() => gen.sample({ jammers: 5 }, createRng(1))).toThrow(/jammers/);
    model.dispose();
  });
});

describe('DiffusionScenarioGenerator', () => {
  it('returns a Scenario whose jamming map drives the tactical mesh for a whole episode', () => {
    const model = tinyModel(7, { side: 16, hidden: 32, embDim: 16 });
    model.metadata = { area_m: [5000, 5000], load_levels_Mbps: [1, 2] };
    const gen = new DiffusionScenarioGenerator(model, { sampling: { steps: 5 } });
    const scenario = gen.sample({ jammers: 1 }, createRng(8));
    const grid = scenario.maps?.jamming_dBm;
    expect(grid).toMatchObject({ width: 16, height: 16, cellSize_m: 312.5, unit: 'dBm' });
    expect(scenario.params).toEqual({ jammers: 1 });
    expect(scenario.events).toEqual([]);
    for (const v of grid?.data ?? []) expect(v).toBeGreaterThanOrEqual(-150);
    const env = new TacticalMeshEnv({ nodes: 20 });
    env.reset({ seed: 1, options: { scenario } });
    const ctl = new ReactiveShortestPath();
    ctl.reset(env);
    let steps = 0;
    while (env.agents.length > 0) {
      ctl.step(env);
      steps++;
    }
    expect(steps).toBe(env.config.horizon);
    expect(env.totals.generated).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('plugin', () => {
  it('registers diffusion-maps with a model from options; without one creating it is MODEL_INVALID', async () => {
    const model = tinyModel(10);
    const host = await createHost({
      plugins: [{ plugin: diffusionPlugin, options: { models: { toy: model } } }],
      logger: silentLogger,
    });
    const gen = host.createGenerator('diffusion-maps', { sampling: { steps: 4 } }, host.defaultDeps('test'));
    expect(gen.sample({ jammers: 0 }, createRng(2)).maps?.jamming_dBm?.width).toBe(4);
    await host.dispose();
    const bare = await createHost({ plugins: [diffusionPlugin], logger: silentLogger });
    try {
      bare.createGenerator('diffusion-maps', {}, bare.defaultDeps('test'));
      expect.unreachable();
    } catch (e) {
      expect(isTwinforgeError(e, 'MODEL_INVALID')).toBe(true);
    }
    await bare.dispose();
    model.dispose();
  });

  it('a cascade generator samples the base, upsamples and refines; a missing or unknown base is MODEL_INVALID', async () => {
    const model = tinyModel(20);
    const base = tinyModel(21, { side: 2, hidden: 16, embDim: 8 });
    const host = await createHost({
      plugins: [{ plugin: diffusionPlugin, options: { models: { fine: model, coarse: base } } }],
      logger: silentLogger,
    });
    const sampling = { steps: 4, guidance: 1 };
    const gen = host.createGenerator(
      'diffusion-maps',
      { model: 'fine', sampling, cascade: { base: 'coarse', level: 0.5 } },
      host.defaultDeps('test'),
    );
    const scenario = gen.sample({ jammers: 1 }, createRng(22));
    expect(scenario.maps?.jamming_dBm?.width).toBe(4);
    expect(scenario.provenance).toMatchObject({ cascadeBase: 'coarse', cascadeLevel: 0.5 });
    // Exactly the composition: base sample → nearest-neighbour ×2 → refine, each stage on its own split.
    const rng = createRng(23);
    const [viaCascade] = sampleCascade(model, { base, level: 0.5 }, [[1]], rng, sampling);
    const layout = upsampleNearest(base.sample([[1]], rng.split('cascade-base'), sampling)[0] as Float32Array, 2, 2, 2);
    const [byHand] = model.refine([layout], [[1]], 0.5, rng.split('cascade-refine'), sampling);
    expect(Array.from(viaCascade as Float32Array)).toEqual(Array.from(byHand as Float32Array));
    const create = (config: Record<string, unknown>) =>
      host.createGenerator('diffusion-maps', config, host.defaultDeps('test'));
    expect(() => create({ model: 'fine', cascade: { base: 'nope' } })).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID' }),
    );
    // A base larger than the model does not divide its size: refused when sampling, with the sizes named.
    expect(() => create({ model: 'coarse', cascade: { base: 'fine' } }).sample({ jammers: 0 }, createRng(1))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/4x4.*2x2/) }),
    );
    expect(() => new DiffusionScenarioGenerator(model, { cascade: { base: 'coarse' } })).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID' }),
    );
    await host.dispose();
    model.dispose();
    base.dispose();
  });
});
