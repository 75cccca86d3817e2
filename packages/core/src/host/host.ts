import { type DependencyContainer, container as globalContainer, type InjectionToken } from 'tsyringe';
import type { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { validateConfig } from '../config.js';
import type { AnyEnv } from '../contracts/env.js';
import { type Executor, InlineExecutor } from '../contracts/executor.js';
import type { ScenarioGenerator } from '../contracts/generator.js';
import type { Learner } from '../contracts/learner.js';
import { isTwinforgeError, TwinforgeError } from '../errors.js';
import { ConsoleLogger, type Logger } from '../logger.js';
import { PipelineBuilder } from '../pipeline/pipeline.js';
import type {
  ContributionKind,
  EnvironmentContribution,
  FactoryDeps,
  GeneratorContribution,
  LearnerContribution,
} from '../plugin/contribution.js';
import type { PluginContext, TwinforgePlugin } from '../plugin/define-plugin.js';
import type { PluginManifest } from '../plugin/manifest.js';
import { createRng } from '../rng/rng.js';
import { TOKENS } from '../tokens.js';
import { API_VERSION } from '../version.js';
import { type PluginSpec, preparePlugins } from './prepare.js';
import { Registry } from './registry.js';

export interface HostOptions {
  /** Plugin objects or package names, in any order; `dependsOn` decides the registration order. */
  plugins?: readonly PluginSpec[];
  /** Directory (or file URL) package names are resolved from: the caller's project. Default: process.cwd(). */
  resolveFrom?: string | URL;
  logger?: Logger;
  clock?: Clock;
  executor?: Executor;
  /** Register core's built-in toy environment, static generator and random learner (default true). */
  builtins?: boolean;
}

export interface Host {
  readonly apiVersion: string;
  /** Manifests in registration order. */
  readonly plugins: readonly PluginManifest[];
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly environments: Registry<EnvironmentContribution>;
  readonly generators: Registry<GeneratorContribution>;
  readonly learners: Registry<LearnerContribution>;
  createEnvironment(id: string, config: unknown, deps: FactoryDeps): AnyEnv;
  createGenerator(id: string, config: unknown, deps: FactoryDeps): ScenarioGenerator;
  createLearner(id: string, config: unknown, deps: FactoryDeps): Learner;
  /** Deps for a factory outside a pipeline run (seed 0 stream, no cancellation). */
  defaultDeps(name: string): FactoryDeps;
  readonly disposed: boolean;
  /** A pipeline builder over this host's registries. */
  pipeline(): PipelineBuilder;
  /** Disposes plugins in reverse registration order; safe to call twice. */
  dispose(): Promise<void>;
}

interface Registered {
  manifest: PluginManifest;
  plugin: TwinforgePlugin;
}

const KIND_LABEL: Record<ContributionKind, string> = {
  environments: 'environment',
  generators: 'generator',
  learners: 'learner',
};

/**
 * Starts a host: validates manifests, checks apiVersion and dependsOn, registers every plugin in a child container
 * of its own behind typed registrars, then freezes the registries. Any failure disposes what was registered and
 * rejects with a TwinforgeError.
 */
export async function createHost(options: HostOptions = {}): Promise<Host> {
  const logger = options.logger ?? new ConsoleLogger('warn');
  const root = globalContainer.createChildContainer();
  const defaults = new Set<InjectionToken>([TOKENS.Logger, TOKENS.Clock, TOKENS.Executor, TOKENS.Rng]);
  root.registerInstance(TOKENS.Logger, logger);
  root.registerInstance(TOKENS.Clock, options.clock ?? systemClock);
  root.registerInstance(TOKENS.Executor, options.executor ?? new InlineExecutor());
  root.registerInstance(TOKENS.Rng, createRng(0));

  const prepared = await preparePlugins(options, API_VERSION);
  const registries = {
    environments: new Registry<EnvironmentContribution>('environment'),
    generators: new Registry<GeneratorContribution>('generator'),
    learners: new Registry<LearnerContribution>('learner'),
  };
  let servicesFrozen = false;
  const registered: Registered[] = [];

  const disposeRegistered = async (): Promise<unknown[]> => {
    const errors: unknown[] = [];
    for (const { manifest, plugin } of [...registered].reverse()) {
      try {
        await plugin.dispose?.();
      } catch (error) {
        errors.push(error);
        logger.error(`plugin ${manifest.name} failed to dispose`, { error: String(error) });
      }
    }
    registered.length = 0;
    return errors;
  };

  for (const { manifest, plugin, options: pluginOptions } of prepared) {
    const pluginContainer = root.createChildContainer();
    const pluginLogger = logger.child({ plugin: manifest.name });
    const seen: Record<ContributionKind, string[]> = { environments: [], generators: [], learners: [] };
    const registrar = <C>(kind: ContributionKind, registry: Registry<C>) => ({
      register(id: string, contribution: C): void {
        registry.add(manifest.name, id, contribution);
        seen[kind].push(id);
      },
    });
    const guardService = (token: InjectionToken) => {
      if (servicesFrozen) {
        throw new TwinforgeError(
          'REGISTRY_FROZEN',
          `plugin "${manifest.name}" tried to register a service after start-up`,
        );
      }
      if (root.isRegistered(token) && !defaults.has(token)) {
        throw new TwinforgeError('SERVICE_DUPLICATE', `service ${String(token)} is registered twice`, {
          details: { plugin: manifest.name },
        });
      }
      defaults.delete(token);
    };
    const ctx: PluginContext = {
      pluginName: manifest.name,
      container: pluginContainer,
      logger: pluginLogger,
      environments: registrar('environments', registries.environments),
      generators: registrar('generators', registries.generators),
      learners: registrar('learners', registries.learners),
      services: {
        value(token, value) {
          guardService(token);
          root.registerInstance(token, value);
        },
        factory(token, factory) {
          guardService(token);
          let made = false;
          let instance: unknown;
          root.register(token, {
            useFactory: (c) => {
              if (!made) {
                instance = factory(c);
                made = true;
              }
              return instance as never;
            },
          });
        },
      },
    };
    try {
      await plugin.register(ctx, pluginOptions);
      checkProvides(manifest, seen);
    } catch (error) {
      const disposeErrors = await disposeRegistered();
      const keep = isTwinforgeError(error);
      const message = error instanceof Error ? error.message : String(error);
      throw new TwinforgeError(
        keep ? (error as TwinforgeError).code : 'PLUGIN_REGISTER_FAILED',
        `plugin "${manifest.name}" failed to register: ${message}` +
          (disposeErrors.length > 0 ? ` (and ${disposeErrors.length} plugin(s) failed to dispose)` : ''),
        { cause: error, details: { plugin: manifest.name, ...(keep ? (error as TwinforgeError).details : {}) } },
      );
    }
    registered.push({ manifest, plugin });
    logger.debug('plugin registered', { plugin: manifest.name, version: manifest.version });
  }

  registries.environments.freeze();
  registries.generators.freeze();
  registries.learners.freeze();
  servicesFrozen = true;

  const manifests = registered.map((r) => r.manifest);
  let disposed = false;

  function create<T>(
    kind: ContributionKind,
    registry: Registry<{ configSchema: z.ZodType; create(config: unknown, deps: FactoryDeps): T }>,
    id: string,
    config: unknown,
    deps: FactoryDeps,
  ): T {
    if (disposed) throw new TwinforgeError('HOST_DISPOSED', 'the host was disposed; create a new one');
    const entry = registry.get(id);
    const parsed = validateConfig(
      entry.contribution.configSchema,
      config ?? {},
      `config for ${KIND_LABEL[kind]} "${id}"`,
    );
    return entry.contribution.create(parsed, deps);
  }

  const host: Host = {
    apiVersion: API_VERSION,
    plugins: manifests,
    container: root,
    logger,
    ...registries,
    get disposed() {
      return disposed;
    },
    createEnvironment: (id, config, deps) => create('environments', registries.environments, id, config, deps),
    createGenerator: (id, config, deps) => create('generators', registries.generators, id, config, deps),
    createLearner: (id, config, deps) => create('learners', registries.learners, id, config, deps),
    pipeline: () => new PipelineBuilder(host),
    defaultDeps: (name) => ({
      container: root,
      rng: createRng(0).split(name),
      logger: logger.child({ component: name }),
      signal: new AbortController().signal,
    }),
    async dispose() {
      if (disposed) return;
      disposed = true;
      const errors = await disposeRegistered();
      await (root.resolve(TOKENS.Executor) as Executor).dispose();
      if (errors.length > 0) {
        throw new TwinforgeError('PLUGIN_DISPOSE_FAILED', `${errors.length} plugin(s) failed to dispose`, {
          cause: new AggregateError(errors),
        });
      }
    },
  };
  root.registerInstance(TOKENS.Host, host);
  return host;
}

/** `provides` is a promise to users (`plugins info` shows it): hold the plugin to it. */
function checkProvides(manifest: PluginManifest, seen: Record<ContributionKind, string[]>): void {
  for (const kind of ['environments', 'generators', 'learners'] as const) {
    const declared = [...manifest.provides[kind]].sort();
    const actual = [...seen[kind]].sort();
    if (declared.join('\n') !== actual.join('\n')) {
      throw new TwinforgeError(
        'PLUGIN_PROVIDES_MISMATCH',
        `manifest.provides.${kind} lists [${declared.join(', ')}] but register() registered [${actual.join(', ')}]`,
        { details: { kind, declared, actual } },
      );
    }
  }
}
