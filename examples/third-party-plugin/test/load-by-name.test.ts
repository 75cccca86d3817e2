import { createHost, MemorySink, silentLogger, TwinforgeError } from '@twinforge/core';
import { describe, expect, it } from 'vitest';

// The proof that a plugin published to npm works: it is imported by package name through its `exports`
// (dist/, built by turbo before this test), and it sees the same single copy of @twinforge/core as the host.
describe('twinforge-plugin-example loaded by name', () => {
  it('loads by short name, registers, and runs in a pipeline', async () => {
    const host = await createHost({ plugins: ['example'], resolveFrom: import.meta.url, logger: silentLogger });
    expect(host.plugins.map((p) => p.name)).toContain('twinforge-plugin-example');
    expect(host.environments.get('twinforge-plugin-example/example-queue').plugin).toBe('twinforge-plugin-example');
    const sink = new MemorySink();
    const result = await host
      .pipeline()
      .environment('example-queue', { horizon: 30 })
      .generator('example-surges', { horizon_s: 30 })
      .dataset(sink)
      .run({ seed: 7, episodes: 4 }).done;
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(120);
    expect(sink.records).toHaveLength(124);
    await host.dispose();
  });

  it('shares one copy of @twinforge/core with the host', async () => {
    const mod = await import('twinforge-plugin-example');
    const host = await createHost({ plugins: [mod.default], logger: silentLogger });
    let caught: unknown;
    try {
      host.createEnvironment('example-queue', { capacity: 0 }, host.defaultDeps('t'));
    } catch (error) {
      caught = error;
    }
    // The plugin's zod schema failed inside core's validateConfig: the error is core's class, not a copy.
    expect(caught).toBeInstanceOf(TwinforgeError);
    expect((caught as TwinforgeError).message).toContain('capacity');
    await host.dispose();
  });

  it('says what is missing and suggests the closest installed plugin', async () => {
    const err = await createHost({ plugins: ['exampel'], resolveFrom: import.meta.url, logger: silentLogger }).catch(
      (e) => e,
    );
    expect(err.code).toBe('PLUGIN_NOT_FOUND');
    expect(err.message).toContain('twinforge-plugin-exampel');
    expect(err.message).toContain('Did you mean "twinforge-plugin-example"?');
  });
});
