import { createHost, MemorySink, silentLogger } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import plugin, { PLUGIN_NAME } from '../src/index.js';

describe('the plugin', () => {
  it('matches its package and registers the environments and generators it declares', async () => {
    expect(PLUGIN_NAME).toBe(pkg.name);
    expect(plugin.manifest.version).toBe(pkg.version);
    const host = await createHost({ plugins: [plugin], logger: silentLogger });
    try {
      for (const id of ['tactical-mesh', 'tactical-mesh-central'])
        expect(host.environments.get(id).plugin).toBe(PLUGIN_NAME);
      const sink = new MemorySink();
      const result = await host
        .pipeline()
        .environment('tactical-mesh', { nodes: 5, horizon: 12 })
        .generator('tactical-random', { nodes: 5, horizon_s: 12 })
        .dataset(sink)
        .run({ seed: 3, episodes: 2 }).done;
      expect(result.status).toBe('completed');
      expect(result.steps).toBe(2 * 12 * 5);
      expect(sink.records).toHaveLength(2 * 13 * 5);
      const cs = await host
        .pipeline()
        .environment('tactical-mesh', {})
        .generator('tactical-case-study', { layoutSeed: 2 })
        .run({ seed: 1, episodes: 1 }).done;
      expect(cs.status).toBe('completed');
    } finally {
      await host.dispose();
    }
  });

  it('rejects a bad config through the host, naming the field', async () => {
    const host = await createHost({ plugins: [plugin], logger: silentLogger });
    try {
      expect(() => host.createEnvironment('tactical-mesh', { channels: 0 }, host.defaultDeps('t'))).toThrow(/channels/);
    } finally {
      await host.dispose();
    }
  });
});
