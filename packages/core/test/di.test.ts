import { inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { createHost, type Logger, MemorySink, type Rng, silentLogger, TOKENS } from '../src/index.js';
import { makePlugin } from './helpers.js';

// A service as a plugin would write it: @inject on every constructor parameter, because vitest/esbuild emit no
// decorator metadata and a parameter without a token would silently be undefined.
@injectable()
class Scheduler {
  constructor(
    @inject(TOKENS.Logger) readonly logger: Logger,
    @inject(TOKENS.Rng) readonly rng: Rng,
  ) {}
}

const SchedulerToken = Symbol.for('test.Scheduler');

describe('dependency injection', () => {
  it('resolves every registered token to a defined value, in the host and in a run', async () => {
    const plugin = makePlugin('twinforge-plugin-di', {
      envIds: [],
      register: (ctx) => {
        ctx.services.factory(SchedulerToken, (c) => c.resolve(Scheduler));
      },
    });
    const host = await createHost({ plugins: [plugin], logger: silentLogger });
    const tokens = [...Object.values(TOKENS), SchedulerToken];
    const registered = tokens.filter((t) => host.container.isRegistered(t, true));
    expect(registered).toEqual(
      expect.arrayContaining([TOKENS.Logger, TOKENS.Clock, TOKENS.Executor, TOKENS.Rng, TOKENS.Host, SchedulerToken]),
    );
    for (const token of registered) expect(host.container.resolve(token)).toBeDefined();
    const scheduler = host.container.resolve<Scheduler>(SchedulerToken);
    expect(scheduler.logger).toBe(silentLogger);
    expect(typeof scheduler.rng.uniform()).toBe('number');
    expect(host.container.resolve(SchedulerToken)).toBe(scheduler);

    // A pipeline run gets its own child container with the run's Rng, signal, id and sink.
    let runContainerTokens: unknown[] = [];
    const probe = makePlugin('twinforge-plugin-probe', { envIds: [] });
    const host2 = await createHost({
      plugins: [
        {
          ...probe,
          manifest: { ...probe.manifest, provides: { environments: ['probe'] } },
          register: (ctx) =>
            ctx.environments.register('probe', {
              configSchema: host.environments.get('toy-channel').contribution.configSchema,
              create: (config, deps) => {
                runContainerTokens = Object.values(TOKENS)
                  .filter((t) => deps.container.isRegistered(t, true))
                  .map((t) => deps.container.resolve(t));
                return host.environments.get('toy-channel').contribution.create(config, deps);
              },
            }),
        },
      ],
      logger: silentLogger,
    });
    await host2.pipeline().environment('probe', { horizon: 2 }).dataset(new MemorySink()).run({ seed: 3, episodes: 1 })
      .done;
    expect(runContainerTokens).toHaveLength(Object.values(TOKENS).length - 1); // all but TensorBackend
    for (const value of runContainerTokens) expect(value).toBeDefined();
    await host.dispose();
    await host2.dispose();
  });

  it('keeps hosts isolated from each other', async () => {
    const a = await createHost({ logger: silentLogger });
    const b = await createHost({ logger: silentLogger });
    expect(a.container.resolve(TOKENS.Host)).toBe(a);
    expect(b.container.resolve(TOKENS.Host)).toBe(b);
    await a.dispose();
    await b.dispose();
  });

  it('refuses to register the same service twice', async () => {
    const token = Symbol('svc');
    const p1 = makePlugin('twinforge-plugin-s1', { envIds: [], register: (ctx) => ctx.services.value(token, 1) });
    const p2 = makePlugin('twinforge-plugin-s2', { envIds: [], register: (ctx) => ctx.services.value(token, 2) });
    await expect(createHost({ plugins: [p1, p2], logger: silentLogger })).rejects.toMatchObject({
      code: 'SERVICE_DUPLICATE',
    });
  });
});
