import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng, isTwinforgeError } from '@twinforge/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  countParameters,
  createMlp,
  getFlatWeights,
  hardUpdate,
  loadWeights,
  type Mlp,
  modelCheckpointSchema,
  readCheckpointMetadata,
  saveWeights,
  setFlatWeights,
  softUpdate,
  tf,
} from '../src/index.js';
import { initQuietly } from './setup.js';

let root: string;
beforeAll(async () => {
  await initQuietly();
  root = await mkdtemp(path.join(tmpdir(), 'tf-weights-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const sizesArb = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 });
const float32 = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

async function asyncErrorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('flat weight vectors', () => {
  it('setFlatWeights then getFlatWeights returns the same float32 values (property)', () => {
    fc.assert(
      fc.property(sizesArb, fc.integer({ min: 0, max: 1000 }), (sizes, seed) => {
        const net = createMlp({ sizes }, createRng(seed));
        const n = countParameters(net);
        const values = createRng(seed + 1).fillUniform(new Float32Array(n), -3, 3);
        setFlatWeights(net, values);
        const back = getFlatWeights(net);
        net.dispose();
        expect(back).toEqual(values);
      }),
      { numRuns: 30 },
    );
  });

  it('getFlatWeights follows parameters() order, kernels row-major [in, out]', () => {
    const net = createMlp({ sizes: [2, 3, 1] }, createRng(0));
    const flat = getFlatWeights(net);
    const [k0, b0, k1, b1] = net.parameters().map((p) => Array.from(p.variable.dataSync()));
    expect(Array.from(flat)).toEqual([...(k0 ?? []), ...(b0 ?? []), ...(k1 ?? []), ...(b1 ?? [])]);
    expect(net.parameters().map((p) => p.name)).toEqual([
      'mlp/layer0/kernel',
      'mlp/layer0/bias',
      'mlp/layer1/kernel',
      'mlp/layer1/bias',
    ]);
    net.dispose();
  });

  it('a wrong length is TENSOR_SHAPE_MISMATCH and a NaN is NUMERIC_INVALID; nothing is assigned', () => {
    const net = createMlp({ sizes: [3, 4, 2] }, createRng(1));
    const before = getFlatWeights(net);
    const short = errorOf(() => setFlatWeights(net, new Float32Array(before.length - 1)));
    expect(isTwinforgeError(short, 'TENSOR_SHAPE_MISMATCH')).toBe(true);
    expect((short as Error).message).toContain(`the network has ${before.length} parameters`);
    const bad = new Float32Array(before.length).fill(1);
    bad[5] = Number.NaN;
    expect(
      isTwinforgeError(
        errorOf(() => setFlatWeights(net, bad)),
        'NUMERIC_INVALID',
      ),
    ).toBe(true);
    expect(getFlatWeights(net)).toEqual(before);
    net.dispose();
  });
});

describe('target updates', () => {
  it('softUpdate computes τ·source + (1-τ)·target elementwise (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100 }), (tau, seed) => {
        const source = createMlp({ sizes: [3, 4, 2] }, createRng(seed));
        const target = createMlp({ sizes: [3, 4, 2] }, createRng(seed + 1));
        const s = getFlatWeights(source);
        const t = getFlatWeights(target);
        softUpdate(target, source, tau);
        const after = getFlatWeights(target);
        for (let i = 0; i < after.length; i++) {
          const expected = tau * (s[i] as number) + (1 - tau) * (t[i] as number);
          expect(Math.abs((after[i] as number) - expected)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(expected)));
        }
        expect(getFlatWeights(source)).toEqual(s);
        source.dispose();
        target.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('hardUpdate copies exactly, and the copy is independent of later source changes', () => {
    const source = createMlp({ sizes: [3, 4, 2] }, createRng(1));
    const target = createMlp({ sizes: [3, 4, 2] }, createRng(2));
    hardUpdate(target, source);
    const copied = getFlatWeights(source);
    expect(getFlatWeights(target)).toEqual(copied);
    setFlatWeights(source, new Float32Array(copied.length).fill(0.5));
    expect(getFlatWeights(target)).toEqual(copied);
    source.dispose();
    target.dispose();
  });

  it('mismatched architectures are TENSOR_SHAPE_MISMATCH', () => {
    const a = createMlp({ sizes: [3, 4, 2] }, createRng(1));
    const b = createMlp({ sizes: [3, 5, 2] }, createRng(1));
    const c = createMlp({ sizes: [3, 2] }, createRng(1));
    expect(
      isTwinforgeError(
        errorOf(() => softUpdate(a, b, 0.1)),
        'TENSOR_SHAPE_MISMATCH',
      ),
    ).toBe(true);
    expect(
      isTwinforgeError(
        errorOf(() => hardUpdate(a, c)),
        'TENSOR_SHAPE_MISMATCH',
      ),
    ).toBe(true);
    for (const n of [a, b, c]) n.dispose();
  });
});

describe('weight checkpoints', () => {
  let counter = 0;
  const nextDir = () => path.join(root, `ckpt-${counter++}`);

  it('save then load restores every weight exactly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(sizesArb, fc.integer({ min: 0, max: 1000 }), async (sizes, seed) => {
        const dir = nextDir();
        const actor = createMlp({ sizes, name: 'actor' }, createRng(seed));
        const critic = createMlp({ sizes: [...sizes].reverse(), name: 'critic' }, createRng(seed + 7));
        const saved = [getFlatWeights(actor), getFlatWeights(critic)];
        await saveWeights(dir, { actor, critic }, { metadata: { step: seed } });
        const actor2 = createMlp({ sizes, name: 'actor' }, createRng(seed + 1));
        const critic2 = createMlp({ sizes: [...sizes].reverse(), name: 'critic' }, createRng(seed + 2));
        const manifest = await loadWeights(dir, { actor: actor2, critic: critic2 });
        expect(manifest.metadata).toEqual({ step: seed });
        expect([getFlatWeights(actor2), getFlatWeights(critic2)]).toEqual(saved);
        for (const n of [actor, critic, actor2, critic2]) n.dispose();
      }),
      { numRuns: 12 },
    );
  });

  it('weights survive extreme float32 values bit for bit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(float32, { minLength: 6, maxLength: 6 }), async (values) => {
        const dir = nextDir();
        const net = createMlp({ sizes: [1, 2, 1] }, createRng(0)); // 2 + 2 + 2 + 1 = 7 parameters
        const v = Float32Array.from([...values, -0]);
        setFlatWeights(net, v);
        await saveWeights(dir, { net });
        setFlatWeights(net, new Float32Array(7));
        await loadWeights(dir, { net });
        expect(getFlatWeights(net)).toEqual(v);
        net.dispose();
      }),
      { numRuns: 20 },
    );
  });

  it('a second save replaces the first atomically and removes the old data file', async () => {
    const dir = nextDir();
    const net = createMlp({ sizes: [2, 3, 1] }, createRng(3));
    const first = await saveWeights(dir, { net });
    setFlatWeights(net, new Float32Array(countParameters(net)).fill(0.25));
    const second = await saveWeights(dir, { net });
    expect(second.dataFile).not.toBe(first.dataFile);
    expect((await readdir(dir)).sort()).toEqual([second.dataFile, 'manifest.json'].sort());
    net.dispose();
  });

  describe('corruption is CHECKPOINT_INVALID and never half-loads', () => {
    let dir: string;
    let net: Mlp;
    let original: Float32Array;
    let dataFile: string;

    beforeAll(async () => {
      dir = nextDir();
      const source = createMlp({ sizes: [3, 8, 2] }, createRng(11));
      dataFile = (await saveWeights(dir, { net: source })).dataFile;
      source.dispose();
      net = createMlp({ sizes: [3, 8, 2] }, createRng(12));
      original = getFlatWeights(net);
    });

    async function expectInvalid(mutate: (d: string) => Promise<void>, pattern: RegExp, groups?: () => object) {
      const copy = nextDir();
      await rm(copy, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.cp(dir, copy, { recursive: true }));
      await mutate(copy);
      const error = await asyncErrorOf(loadWeights(copy, (groups?.() as { net: Mlp }) ?? { net }));
      expect(isTwinforgeError(error, 'CHECKPOINT_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(pattern);
      expect(getFlatWeights(net)).toEqual(original);
    }

    it('a flipped byte fails the checksum', async () => {
      await expectInvalid(async (d) => {
        const file = path.join(d, dataFile);
        const bytes = await readFile(file);
        bytes[17] = (bytes[17] as number) ^ 0x40;
        await writeFile(file, bytes);
      }, /checksum \(corrupted\)/);
    });

    it('a truncated data file names the byte counts', async () => {
      await expectInvalid(async (d) => {
        const file = path.join(d, dataFile);
        await writeFile(file, (await readFile(file)).subarray(0, 40));
      }, /has 40 bytes.*\(truncated\)/);
    });

    it('a missing data file, a broken or missing manifest, and a newer format are each named', async () => {
      await expectInvalid((d) => rm(path.join(d, dataFile)), /data file .* is missing/);
      await expectInvalid((d) => writeFile(path.join(d, 'manifest.json'), '{"format": "twin'), /not valid JSON/);
      await expectInvalid((d) => rm(path.join(d, 'manifest.json')), /no manifest\.json/);
      await expectInvalid(async (d) => {
        const m = JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8'));
        m.formatVersion = 99;
        await writeFile(path.join(d, 'manifest.json'), JSON.stringify(m));
      }, /format version 99 is newer/);
      await expectInvalid(async (d) => {
        const m = JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8'));
        m.tensors[1].offset = 4;
        await writeFile(path.join(d, 'manifest.json'), JSON.stringify(m));
      }, /offset 4, expected/);
      await expectInvalid(async (d) => {
        const m = JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8'));
        delete m.checksum;
        await writeFile(path.join(d, 'manifest.json'), JSON.stringify(m));
      }, /malformed: checksum/);
    });

    it('a checkpoint of another architecture or other names is refused before any assignment', async () => {
      const wider = createMlp({ sizes: [3, 9, 2] }, createRng(1));
      await expectInvalid(
        async () => {},
        /net\/mlp\/layer0\/kernel is \[3, 8\] in the file but \[3, 9\]/,
        () => ({ net: wider }),
      );
      const other = createMlp({ sizes: [3, 8, 2], name: 'actor' }, createRng(1));
      await expectInvalid(
        async () => {},
        /missing net\/actor\/layer0\/kernel.*unexpected net\/mlp/,
        () => ({ net: other }),
      );
      const deeper = createMlp({ sizes: [3, 8, 8, 2] }, createRng(1));
      const deeperBefore = getFlatWeights(deeper);
      await expectInvalid(
        async () => {},
        /missing net\/mlp\/layer2/,
        () => ({ net: deeper }),
      );
      expect(getFlatWeights(deeper)).toEqual(deeperBefore);
      for (const n of [wider, other, deeper]) n.dispose();
    });

    it('a directory that does not exist is FILE_NOT_FOUND', async () => {
      const error = await asyncErrorOf(loadWeights(path.join(root, 'nope'), { net }));
      expect(isTwinforgeError(error, 'FILE_NOT_FOUND')).toBe(true);
    });
  });

  it('refuses to save non-finite weights', async () => {
    const net = createMlp({ sizes: [1, 1] }, createRng(0));
    net.parameters()[0]?.variable.assign(tf.tensor2d([[Number.POSITIVE_INFINITY]]));
    const error = await asyncErrorOf(saveWeights(nextDir(), { net }));
    expect(isTwinforgeError(error, 'NUMERIC_INVALID')).toBe(true);
    net.dispose();
  });

  it('validates stored metadata against a schema, naming each failing field', async () => {
    const net = createMlp({ sizes: [1, 1] }, createRng(0));
    const dir = nextDir();
    await saveWeights(dir, { net }, { metadata: { kind: 'demo', version: 2, obsDim: 4 } });
    const schema = z.object({ kind: z.literal('demo'), version: z.literal(2), obsDim: z.number().int() });
    expect(await readCheckpointMetadata(dir, schema, 'a demo')).toEqual({ kind: 'demo', version: 2, obsDim: 4 });
    const strict = z.object({ kind: z.literal('other'), version: z.literal(2), obsDim: z.string() });
    const error = await asyncErrorOf(readCheckpointMetadata(dir, strict, 'an other'));
    expect(isTwinforgeError(error, 'CHECKPOINT_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/is not an other checkpoint: metadata\.kind: .*; metadata\.obsDim: /);
    const missing = await asyncErrorOf(readCheckpointMetadata(path.join(root, 'nope'), schema, 'a demo'));
    expect(isTwinforgeError(missing, 'FILE_NOT_FOUND')).toBe(true);
    net.dispose();
  });

  it('reads a model checkpoint of a kind and one of its readable versions, and refuses any other', async () => {
    const net = createMlp({ sizes: [1, 1] }, createRng(0));
    const schema = modelCheckpointSchema('demo-model', [1, 2]);
    const stored = { kind: 'demo-model', config: { width: 4 }, training: { steps: 10, finalLoss: 0.5 }, extra: {} };
    for (const version of [1, 2]) {
      const dir = nextDir();
      await saveWeights(dir, { net }, { metadata: { ...stored, version } });
      expect(await readCheckpointMetadata(dir, schema, 'a demo-model')).toEqual({ ...stored, version });
    }
    const bad = [
      { ...stored, version: 3 },
      { ...stored, version: 1, kind: 'other-model' },
      { ...stored, version: 1, training: { steps: -1, finalLoss: 0 } },
    ];
    for (const metadata of bad) {
      const dir = nextDir();
      await saveWeights(dir, { net }, { metadata });
      const error = await asyncErrorOf(readCheckpointMetadata(dir, schema, 'a demo-model'));
      expect(isTwinforgeError(error, 'CHECKPOINT_INVALID')).toBe(true);
    }
    // Training and extra may be absent (an untrained model saved as is).
    const dir = nextDir();
    await saveWeights(dir, { net }, { metadata: { kind: 'demo-model', version: 2, config: {}, training: null } });
    expect((await readCheckpointMetadata(dir, schema, 'a demo-model')).training).toBeNull();
    net.dispose();
  });
});
