import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHost, definePlugin, isTwinforgeError, type PluginContext, silentLogger } from '../src/index.js';
import { codeOf, makePlugin } from './helpers.js';

const quiet = { logger: silentLogger };

describe('createHost', () => {
  it('registers plugins in dependsOn order and addresses ids as <id> or <plugin>/<id>', async () => {
    const order: string[] = [];
    const a = makePlugin('twinforge-plugin-a', {
      manifest: { dependsOn: ['twinforge-plugin-b'] },
      envIds: ['a-env'],
    });
    const b = makePlugin('twinforge-plugin-b', { envIds: ['b-env'] });
    const wrap = (p: typeof a, n: string) => ({
      ...p,
      register: (ctx: PluginContext, o: unknown) => {
        order.push(n);
        return p.register(ctx, o);
      },
    });
    const host = await createHost({ plugins: [wrap(a, 'a'), wrap(b, 'b')], ...quiet });
    expect(order).toEqual(['b', 'a']);
    expect(host.plugins.map((m) => m.name)).toEqual(['@twinforge/core', 'twinforge-plugin-b', 'twinforge-plugin-a']);
    expect(host.environments.get('a-env').plugin).toBe('twinforge-plugin-a');
    expect(host.environments.get('twinforge-plugin-a/a-env').id).toBe('a-env');
    expect(host.environments.has('twinforge-plugin-b/a-env')).toBe(false);
    await host.dispose();
  });

  it('rejects an unknown manifest key, naming it', async () => {
    const p = makePlugin('twinforge-plugin-x', { manifest: { dependOn: [] } });
    const err = await createHost({ plugins: [p], ...quiet }).catch((e) => e);
    expect(err.code).toBe('PLUGIN_MANIFEST_INVALID');
    expect(err.message).toContain('"dependOn"');
  });

  it('rejects an invalid manifest field, naming it', async () => {
    const p = makePlugin('twinforge-plugin-x', { manifest: { version: 'one' } });
    const err = await createHost({ plugins: [p], ...quiet }).catch((e) => e);
    expect(err.code).toBe('PLUGIN_MANIFEST_INVALID');
    expect(err.message).toContain('version');
  });

  it('rejects an apiVersion mismatch', async () => {
    const p = makePlugin('twinforge-plugin-x', { manifest: { apiVersion: '^99.0.0' } });
    const err = await createHost({ plugins: [p], ...quiet }).catch((e) => e);
    expect(err.code).toBe('PLUGIN_API_MISMATCH');
    expect(err.message).toMatch(/\^99\.0\.0.*1\.0\.0/);
  });

  it('rejects a missing dependsOn and a dependency cycle', async () => {
    const p = makePlugin('twinforge-plugin-x', { manifest: { dependsOn: ['twinforge-plugin-missing'] } });
    expect(await codeOf(() => createHost({ plugins: [p], ...quiet }))).toBe('PLUGIN_MISSING_DEPENDENCY');
    const c1 = makePlugin('twinforge-plugin-c1', { manifest: { dependsOn: ['twinforge-plugin-c2'] } });
    const c2 = makePlugin('twinforge-plugin-c2', { manifest: { dependsOn: ['twinforge-plugin-c1'] } });
    expect(await codeOf(() => createHost({ plugins: [c1, c2], ...quiet }))).toBe('PLUGIN_DEPENDENCY_CYCLE');
  });

  it('rejects a duplicate plugin name', async () => {
    const p = makePlugin('twinforge-plugin-x');
    expect(await codeOf(() => createHost({ plugins: [p, makePlugin('twinforge-plugin-x')], ...quiet }))).toBe(
      'PLUGIN_DUPLICATE_NAME',
    );
  });

  it('rejects a duplicate contribution id and disposes what was registered', async () => {
    const disposed: string[] = [];
    const first = makePlugin('twinforge-plugin-one', { envIds: ['same'], dispose: () => disposed.push('one') });
    const second = makePlugin('twinforge-plugin-two', { envIds: ['same'], dispose: () => disposed.push('two') });
    const err = await createHost({ plugins: [first, second], ...quiet }).catch((e) => e);
    expect(err.code).toBe('PLUGIN_DUPLICATE_ID');
    expect(err.message).toContain('twinforge-plugin-one');
    expect(err.message).toContain('twinforge-plugin-two');
    expect(disposed).toEqual(['one']);
  });

  it('rejects registration after the registry froze', async () => {
    let saved: PluginContext | undefined;
    const p = makePlugin('twinforge-plugin-late', {
      envIds: [],
      register: (ctx) => {
        saved = ctx;
      },
    });
    const host = await createHost({ plugins: [p], ...quiet });
    const register = () =>
      saved?.environments.register('late', {
        configSchema: z.object({}),
        create: () => host.createEnvironment('toy-channel', {}, host.defaultDeps('x')),
      });
    expect(await codeOf(register)).toBe('REGISTRY_FROZEN');
    expect(await codeOf(() => saved?.services.value(Symbol('x'), 1))).toBe('REGISTRY_FROZEN');
    await host.dispose();
  });

  it('rejects an invalid config, naming the field', async () => {
    const host = await createHost(quiet);
    const err = await codeOf(() => host.createEnvironment('toy-channel', { channels: 1 }, host.defaultDeps('t')));
    expect(err).toBe('CONFIG_INVALID');
    try {
      host.createEnvironment('toy-channel', { channels: 'four', horizon: -1 }, host.defaultDeps('t'));
    } catch (error) {
      expect(isTwinforgeError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain('environment "toy-channel"');
      expect((error as Error).message).toContain('channels');
      expect((error as Error).message).toContain('horizon');
      expect((error as { details: { fields: string[] } }).details.fields).toEqual(['channels', 'horizon']);
    }
    await host.dispose();
  });

  it('fails start-up when register throws, names the plugin, and disposes the plugins already registered', async () => {
    const disposed: string[] = [];
    const ok = makePlugin('twinforge-plugin-ok', { dispose: () => disposed.push('ok') });
    const ok2 = makePlugin('twinforge-plugin-ok2', { dispose: () => disposed.push('ok2') });
    const bad = makePlugin('twinforge-plugin-bad', {
      register: () => {
        throw new Error('database unreachable');
      },
      dispose: () => disposed.push('bad'),
    });
    const err = await createHost({ plugins: [ok, ok2, bad], ...quiet }).catch((e) => e);
    expect(err.code).toBe('PLUGIN_REGISTER_FAILED');
    expect(err.message).toContain('twinforge-plugin-bad');
    expect(err.message).toContain('database unreachable');
    expect(err.cause.message).toBe('database unreachable');
    expect(disposed).toEqual(['ok2', 'ok']);
  });

  it('rejects a plugin whose registrations differ from manifest.provides', async () => {
    const p = makePlugin('twinforge-plugin-liar', {
      manifest: { provides: { environments: ['other'] } },
      envIds: ['real'],
    });
    const q = { ...p, manifest: { ...p.manifest, provides: { environments: ['other'] } } };
    expect(await codeOf(() => createHost({ plugins: [q], ...quiet }))).toBe('PLUGIN_PROVIDES_MISMATCH');
  });

  it('suggests the closest id for an unknown one', async () => {
    const host = await createHost(quiet);
    const err = await (async () => host.environments.get('toy-chanel'))().catch((e) => e);
    expect(err.code).toBe('UNKNOWN_ID');
    expect(err.message).toContain('Did you mean "toy-channel"?');
    await host.dispose();
  });

  it('disposes plugins in reverse order, once, and refuses work afterwards', async () => {
    const disposed: string[] = [];
    const plugins = ['p1', 'p2', 'p3'].map((n) =>
      makePlugin(`twinforge-plugin-${n}`, { dispose: () => disposed.push(n) }),
    );
    const host = await createHost({ plugins, ...quiet });
    await host.dispose();
    await host.dispose();
    expect(disposed).toEqual(['p3', 'p2', 'p1']);
    expect(await codeOf(() => host.createEnvironment('toy-channel', {}, host.defaultDeps('x')))).toBe('HOST_DISPOSED');
    expect(await codeOf(() => host.pipeline().environment('toy-channel').run({ seed: 1, episodes: 1 }))).toBe(
      'HOST_DISPOSED',
    );
  });

  it('reports a dispose failure after disposing every other plugin', async () => {
    const disposed: string[] = [];
    const a = makePlugin('twinforge-plugin-a', { dispose: () => disposed.push('a') });
    const b = makePlugin('twinforge-plugin-b', {
      dispose: () => {
        throw new Error('boom');
      },
    });
    const host = await createHost({ plugins: [a, b], ...quiet });
    expect(await codeOf(() => host.dispose())).toBe('PLUGIN_DISPOSE_FAILED');
    expect(disposed).toEqual(['a']);
  });

  it('accepts plugin options and rejects a non-plugin value', async () => {
    let seen: unknown;
    const p = definePlugin<{ level: number }>({
      manifest: { name: 'twinforge-plugin-opts', version: '0.1.0', apiVersion: '^1.0.0' },
      register: (_ctx, options) => {
        seen = options;
      },
    });
    const host = await createHost({ plugins: [{ plugin: p as never, options: { level: 3 } }], ...quiet });
    expect(seen).toEqual({ level: 3 });
    await host.dispose();
    expect(await codeOf(() => createHost({ plugins: [{ nope: true } as never], ...quiet }))).toBe('PLUGIN_INVALID');
  });
});
