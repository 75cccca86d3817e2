import { z } from 'zod';
import { definePlugin, ToyChannelEnv, type TwinforgePlugin } from '../src/index.js';

/** A minimal valid plugin; `overrides` bends one part of it for a rejection test. */
export function makePlugin(
  name: string,
  overrides: Partial<{
    manifest: Record<string, unknown>;
    envIds: string[];
    register: TwinforgePlugin['register'];
    dispose: () => void;
  }> = {},
): TwinforgePlugin {
  const envIds = overrides.envIds ?? [`${name.replace(/[^a-z0-9]/g, '')}-env`];
  return definePlugin({
    manifest: {
      name,
      version: '1.0.0',
      apiVersion: '^1.0.0',
      provides: { environments: envIds },
      ...overrides.manifest,
    } as TwinforgePlugin['manifest'],
    register:
      overrides.register ??
      ((ctx) => {
        for (const id of envIds) {
          ctx.environments.register(id, {
            configSchema: z.strictObject({ channels: z.number().int().min(2).default(3) }),
            create: (config, deps) =>
              new ToyChannelEnv({ channels: config.channels, horizon: 5, dt_s: 1, jammedSuccess: 0 }, deps.rng),
          });
        }
      }),
    ...(overrides.dispose ? { dispose: overrides.dispose } : {}),
  });
}

/** Runs `fn` and returns the TwinforgeError code it rejected with. */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    return (error as { code?: string }).code ?? `not a TwinforgeError: ${String(error)}`;
  }
  return 'did not throw';
}
