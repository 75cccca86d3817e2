import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTwinforgeError, type TwinforgeError } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import { loadDefinition, normalizeDefinition, pipelineDefinitionSchema } from '../src/index.js';
import { FIXTURES, tempDir } from './helpers/cli.js';

const dir = tempDir();

async function loadError(name: string, text: string): Promise<TwinforgeError> {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    await loadDefinition(file);
  } catch (error) {
    if (isTwinforgeError(error)) return error;
    throw error;
  }
  throw new Error(`${name} loaded`);
}

describe('pipeline definitions', () => {
  it('expands shorthands and fills defaults', () => {
    const d = normalizeDefinition(pipelineDefinitionSchema.parse({ environment: 'toy-channel', episodes: 3 }));
    expect(d).toMatchObject({
      name: 'pipeline',
      plugins: [],
      environment: { id: 'toy-channel', config: {} },
      generator: { id: 'static', config: {} },
      learner: { id: 'random', config: {} },
      seeds: [1],
      evaluation: { episodes: 10, baselines: [] },
      dataset: { enabled: true },
    });
  });

  it('resolves seeds: a count from `seed`, an explicit list, and --seed shifting either', () => {
    const parse = (v: object, seed?: number) =>
      normalizeDefinition(pipelineDefinitionSchema.parse({ environment: 'e', episodes: 1, ...v }), seed).seeds;
    expect(parse({ seed: 5, seeds: 3 })).toEqual([5, 6, 7]);
    expect(parse({ seeds: [3, 9, 27] })).toEqual([3, 9, 27]);
    expect(parse({ seed: 5, seeds: 2 }, 40)).toEqual([40, 41]);
    expect(parse({ seeds: [3, 9, 27] }, 40)).toEqual([40, 41, 42]);
  });

  it('baselines get labels and zero training episodes unless told', () => {
    const d = normalizeDefinition(
      pipelineDefinitionSchema.parse({
        environment: 'e',
        episodes: 1,
        evaluation: { baselines: ['random', { id: 'pso', config: { particles: 20 }, label: 'PSO', trainEpisodes: 2 }] },
      }),
    );
    expect(d.evaluation.baselines).toEqual([
      { id: 'random', config: {}, label: 'random', trainEpisodes: 0 },
      { id: 'pso', config: { particles: 20 }, label: 'PSO', trainEpisodes: 2 },
    ]);
  });

  it('reads YAML and JSON the same way', async () => {
    const yaml = await loadDefinition(join(FIXTURES, 'queue.yaml'));
    const json = join(dir, 'queue.json');
    writeFileSync(json, JSON.stringify({ ...yaml.definition, seeds: 2, seed: 1 }));
    const fromJson = await loadDefinition(json);
    expect(fromJson.definition).toEqual(yaml.definition);
    expect(yaml.definition).toMatchObject({ name: 'queue-small', plugins: ['example'], seeds: [1, 2], episodes: 20 });
  });

  it('names the missing file, the bad field and the unreadable format', async () => {
    await expect(loadDefinition(join(dir, 'absent-too.yaml'))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('absent-too.yaml'),
    });

    const bad = await loadError('bad.json', JSON.stringify({ environment: { id: 'x', confg: {} }, episodes: 1.5 }));
    expect(bad.code).toBe('CONFIG_INVALID');
    expect(bad.details.fields).toEqual(expect.arrayContaining(['episodes', 'environment.confg']));

    const nested = await loadError(
      'nested.yaml',
      'environment: e\nepisodes: 1\nevaluation:\n  baselines:\n    - { id: random, trainEpisodes: -1 }\n',
    );
    expect(nested.details.fields).toEqual(['evaluation.baselines[0].trainEpisodes']);

    const format = await loadError('pipeline.toml', 'environment = "e"');
    expect(format.code).toBe('INVALID_ARGUMENT');
    expect(format.message).toMatch(/expected \.ts\/\.js .*\.json or \.yaml/);
  });

  it('a JS pipeline module may export a function of the seed', async () => {
    const file = join(dir, 'fn.mjs');
    writeFileSync(
      file,
      'export default ({ seed }) => ({ environment: "toy-channel", episodes: 2, name: "fn-" + String(seed) });\n',
    );
    expect((await loadDefinition(file, { seed: 9 })).definition).toMatchObject({ name: 'fn-9', seeds: [9] });
    const noDefault = join(dir, 'none.mjs');
    writeFileSync(noDefault, 'export const x = 1;\n');
    await expect(loadDefinition(noDefault)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
