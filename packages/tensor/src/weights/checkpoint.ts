import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatPath, TwinforgeError } from '@twinforge/core';
import type { NamedVariable, WeightSource } from '../nn/module.js';
import * as tf from '../tf.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  MANIFEST_FILE,
  manifestSchema,
  type TensorEntry,
  type WeightsManifest,
} from './manifest.js';

/** Named groups of weights, e.g. { actor, critic, actorTarget, optimizer: adam.asWeightSource() }. */
export type WeightGroups = Readonly<Record<string, WeightSource>>;

export interface SaveWeightsOptions {
  /** JSON stored in the manifest and returned by loadWeights. */
  readonly metadata?: Record<string, unknown>;
}

function invalid(dir: string, problem: string, details: Record<string, unknown> = {}): TwinforgeError {
  return new TwinforgeError('CHECKPOINT_INVALID', `weight checkpoint ${dir}: ${problem}`, {
    details: { dir, ...details },
  });
}

/** Every parameter of every group under `group/param` names, in group then parameter order. */
function namedParameters(groups: WeightGroups): { name: string; variable: tf.Variable }[] {
  const out: { name: string; variable: tf.Variable }[] = [];
  const seen = new Set<string>();
  for (const [group, source] of Object.entries(groups)) {
    for (const p of source.parameters() as readonly NamedVariable[]) {
      const name = `${group}/${p.name}`;
      if (seen.has(name)) {
        throw new TwinforgeError(
          'INVALID_ARGUMENT',
          `two parameters are both named "${name}"; give the networks distinct names`,
        );
      }
      seen.add(name);
      out.push({ name, variable: p.variable });
    }
  }
  return out;
}

/**
 * Writes all weights to `dir` as manifest.json plus one binary file. Atomic for readers: the data file gets a
 * content-derived name and is written under a temporary name then renamed; the manifest is renamed into place
 * last; only then are data files of earlier saves removed. A crash at any point leaves the previous checkpoint
 * (or none) loadable, never a mix.
 */
export async function saveWeights(
  dir: string,
  groups: WeightGroups,
  options: SaveWeightsOptions = {},
): Promise<WeightsManifest> {
  const params = namedParameters(groups);
  const sizes = params.map((p) => p.variable.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const values =
    total === 0
      ? new Float32Array(0)
      : (() => {
          const flat = tf.tidy(() => tf.concat(params.map((p) => tf.reshape(p.variable, [-1]))));
          const v = (flat.dataSync() as Float32Array).slice();
          flat.dispose();
          return v;
        })();
  for (let i = 0; i < total; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new TwinforgeError(
        'NUMERIC_INVALID',
        `refusing to save non-finite weights (${values[i]} at flat index ${i})`,
        {
          details: { index: i },
        },
      );
    }
  }
  const bytes = Buffer.alloc(total * 4);
  for (let i = 0; i < total; i++) bytes.writeFloatLE(values[i] as number, i * 4);
  const digest = createHash('sha256').update(bytes).digest('hex');
  let offset = 0;
  const tensors: TensorEntry[] = params.map((p, i) => {
    const byteLength = (sizes[i] as number) * 4;
    const entry = { name: p.name, shape: [...p.variable.shape], dtype: 'float32' as const, offset, byteLength };
    offset += byteLength;
    return entry;
  });
  const manifest: WeightsManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    byteOrder: 'little-endian',
    dataFile: `weights-${digest.slice(0, 16)}.bin`,
    byteLength: bytes.length,
    checksum: { algorithm: 'sha256', value: digest },
    tensors,
    metadata: options.metadata ?? {},
    createdAt: new Date().toISOString(),
  };
  await mkdir(dir, { recursive: true });
  const tmpSuffix = `.tmp-${process.pid}-${Date.now()}`;
  const dataPath = path.join(dir, manifest.dataFile);
  await writeFile(dataPath + tmpSuffix, bytes);
  await rename(dataPath + tmpSuffix, dataPath);
  const manifestPath = path.join(dir, MANIFEST_FILE);
  await writeFile(manifestPath + tmpSuffix, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(manifestPath + tmpSuffix, manifestPath);
  for (const name of await readdir(dir)) {
    if (/^weights-[0-9a-f]{16}\.bin$/.test(name) && name !== manifest.dataFile)
      await rm(path.join(dir, name), { force: true });
  }
  return manifest;
}

/** Reads and fully validates a checkpoint's manifest and data (format, ranges, size, checksum). */
export async function readCheckpoint(dir: string): Promise<{ manifest: WeightsManifest; data: Buffer }> {
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat === undefined || !dirStat.isDirectory()) {
    throw new TwinforgeError('FILE_NOT_FOUND', `weight checkpoint directory ${dir} does not exist`, {
      details: { dir },
    });
  }
  const manifestText = await readFile(path.join(dir, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (manifestText === undefined) throw invalid(dir, `no ${MANIFEST_FILE}`);
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (error) {
    throw invalid(dir, `${MANIFEST_FILE} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json === 'object' && json !== null && 'formatVersion' in json) {
    const v = (json as { formatVersion: unknown }).formatVersion;
    if (typeof v === 'number' && v > CHECKPOINT_FORMAT_VERSION) {
      throw invalid(dir, `format version ${v} is newer than this twinforge reads (${CHECKPOINT_FORMAT_VERSION})`);
    }
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw invalid(dir, `${MANIFEST_FILE} is malformed: ${issues.join('; ')}`, { issues });
  }
  const manifest = parsed.data;
  let expectedOffset = 0;
  for (const t of manifest.tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.byteLength !== count * 4) {
      throw invalid(dir, `tensor ${t.name}: byteLength ${t.byteLength} does not match shape [${t.shape.join(', ')}]`);
    }
    if (t.offset !== expectedOffset)
      throw invalid(dir, `tensor ${t.name}: offset ${t.offset}, expected ${expectedOffset}`);
    expectedOffset += t.byteLength;
  }
  if (expectedOffset !== manifest.byteLength) {
    throw invalid(dir, `tensors cover ${expectedOffset} bytes but the manifest declares ${manifest.byteLength}`);
  }
  const data = await readFile(path.join(dir, manifest.dataFile)).catch(() => undefined);
  if (data === undefined) throw invalid(dir, `data file ${manifest.dataFile} is missing`);
  if (data.length !== manifest.byteLength) {
    throw invalid(
      dir,
      `data file ${manifest.dataFile} has ${data.length} bytes, the manifest declares ${manifest.byteLength} (${
        data.length < manifest.byteLength ? 'truncated' : 'trailing bytes'
      })`,
      { expected: manifest.byteLength, actual: data.length },
    );
  }
  const digest = createHash('sha256').update(data).digest('hex');
  if (digest !== manifest.checksum.value) {
    throw invalid(dir, `data file ${manifest.dataFile} fails its SHA-256 checksum (corrupted)`, {
      expected: manifest.checksum.value,
      actual: digest,
    });
  }
  return { manifest, data };
}

/**
 * Loads a checkpoint into `groups` (the same group keys and architectures it was saved from). Everything is
 * validated first (file integrity, the exact set of names, every shape, finite values); only then is any variable
 * assigned, so a failed load leaves the networks untouched. Returns the manifest (metadata included).
 */
export async function loadWeights(dir: string, groups: WeightGroups): Promise<WeightsManifest> {
  const { manifest, data } = await readCheckpoint(dir);
  const params = namedParameters(groups);
  const byName = new Map(manifest.tensors.map((t) => [t.name, t]));
  const missing = params.filter((p) => !byName.has(p.name)).map((p) => p.name);
  const wanted = new Set(params.map((p) => p.name));
  const extra = manifest.tensors.filter((t) => !wanted.has(t.name)).map((t) => t.name);
  if (missing.length > 0 || extra.length > 0) {
    throw invalid(
      dir,
      `does not match the networks: ${missing.length > 0 ? `missing ${missing.slice(0, 5).join(', ')}` : ''}${
        missing.length > 0 && extra.length > 0 ? '; ' : ''
      }${extra.length > 0 ? `unexpected ${extra.slice(0, 5).join(', ')}` : ''}`,
      { missing, extra },
    );
  }
  const staged: { variable: tf.Variable; values: Float32Array }[] = [];
  for (const p of params) {
    const entry = byName.get(p.name) as TensorEntry;
    if (entry.shape.join('x') !== p.variable.shape.join('x')) {
      throw invalid(
        dir,
        `tensor ${p.name} is [${entry.shape.join(', ')}] in the file but [${p.variable.shape.join(', ')}] in the network`,
      );
    }
    const values = new Float32Array(entry.byteLength / 4);
    for (let i = 0; i < values.length; i++) {
      const v = data.readFloatLE(entry.offset + i * 4);
      if (!Number.isFinite(v)) throw invalid(dir, `tensor ${p.name} holds ${v} at index ${i}`);
      values[i] = v;
    }
    staged.push({ variable: p.variable, values });
  }
  for (const { variable, values } of staged) {
    const t = tf.tensor(values, variable.shape, 'float32');
    variable.assign(t);
    t.dispose();
  }
  return manifest;
}
