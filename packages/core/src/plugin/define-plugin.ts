import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { z } from 'zod';
import type { AnyEnv } from '../contracts/env.js';
import type { ScenarioGenerator } from '../contracts/generator.js';
import type { Learner } from '../contracts/learner.js';
import type { Logger } from '../logger.js';
import type { Contribution } from './contribution.js';
import type { PluginManifestInput } from './manifest.js';

/** Typed registrar for one contribution kind. */
export interface Registrar<T, Extra = unknown> {
  /** The config type of `create` is inferred from `configSchema`. */
  register<S extends z.ZodType>(id: string, contribution: Contribution<T, S> & Extra): void;
}

/** How a plugin offers a shared service (a DatasetSink, a TensorBackend, ...) to every other plugin. */
export interface ServiceRegistrar {
  /** Registers a value under a token in the host's root container. A token may be registered once. */
  value<T>(token: InjectionToken<T>, value: T): void;
  /** Registers a factory, called once on first resolution (a singleton per host). */
  factory<T>(token: InjectionToken<T>, factory: (container: DependencyContainer) => T): void;
}

/** What `register(ctx, options)` gets: a child container of its own and registrars, nothing global. */
export interface PluginContext {
  readonly pluginName: string;
  readonly container: DependencyContainer;
  readonly logger: Logger;
  readonly environments: Registrar<AnyEnv>;
  readonly generators: Registrar<ScenarioGenerator>;
  readonly learners: Registrar<Learner, { readonly supports?: readonly string[] }>;
  readonly services: ServiceRegistrar;
}

export interface TwinforgePlugin<O = unknown> {
  readonly manifest: PluginManifestInput;
  register(ctx: PluginContext, options: O): void | Promise<void>;
  dispose?(): void | Promise<void>;
}

/** Identity with types: gives plugin authors inference and a place for future checks. */
export function definePlugin<O = unknown>(plugin: TwinforgePlugin<O>): TwinforgePlugin<O> {
  return plugin;
}
