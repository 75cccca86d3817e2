import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CORE_VERSION,
  closest,
  pluginPackageCandidates,
  TwinforgeError,
  validateConfig,
  validateScenario,
} from '../src/index.js';

describe('small pieces', () => {
  it('keeps CORE_VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it('expands short plugin names', () => {
    expect(pluginPackageCandidates('mesh')).toEqual(['twinforge-plugin-mesh', 'mesh']);
    expect(pluginPackageCandidates('@acme/mesh')).toEqual(['@acme/twinforge-plugin-mesh', '@acme/mesh']);
    expect(pluginPackageCandidates('twinforge-plugin-mesh')).toEqual(['twinforge-plugin-mesh']);
    expect(pluginPackageCandidates('@twinforge/plugin-env-iov')).toEqual(['@twinforge/plugin-env-iov']);
    expect(pluginPackageCandidates('@twinforge/env-iov')).toEqual([
      '@twinforge/twinforge-plugin-env-iov',
      '@twinforge/plugin-env-iov',
      '@twinforge/env-iov',
    ]);
  });

  it('names nested fields in config errors', () => {
    const schema = z.object({ links: z.array(z.object({ bandwidth_Hz: z.number().positive() })) });
    expect(() => validateConfig(schema, { links: [{ bandwidth_Hz: 1 }, { bandwidth_Hz: -5 }] }, 'config')).toThrow(
      /links\[1\]\.bandwidth_Hz/,
    );
  });

  it('suggests only plausible names', () => {
    expect(closest('toy-chanel', ['toy-channel', 'static'])).toBe('toy-channel');
    expect(closest('zzzzzz', ['toy-channel', 'static'])).toBeUndefined();
  });

  it('validates scenario timelines', () => {
    const base = { id: 's', seed: 1, params: {}, provenance: { generator: 't' } };
    const ev = (t: number) => ({ kind: 'node-fail' as const, t, node: 1 });
    expect(() => validateScenario({ ...base, events: [ev(2), ev(1)] })).toThrow(TwinforgeError);
    expect(() => validateScenario({ ...base, events: [ev(Number.NaN)] })).toThrow(/finite/);
    expect(() => validateScenario({ ...base, events: [ev(1)] }, ['jammer-on'])).toThrow(/not supported/);
    expect(() =>
      validateScenario({
        ...base,
        events: [],
        maps: { q: { width: 2, height: 2, cellSize_m: 1, unit: 'dB', data: new Float32Array(3) } },
      }),
    ).toThrow(/3 values for 2x2/);
  });
});
