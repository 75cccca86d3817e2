import { type AnyEnv, type FactoryDeps, type Host, type Learner, PipelineBuilder } from '@twinforge/core';

export interface Observed {
  onLearner?(learner: Learner): void;
  onEnvironment?(env: AnyEnv): void;
}

/**
 * A view of `host` that reports the learner and environment each pipeline run creates. The pipeline builds them
 * inside the run, but the CLI needs those very instances afterwards: the learner to save a checkpoint and to
 * evaluate, the environment to evaluate it on (a policy may read the environment it trained with). The Host interface
 * is the seam, so core stays unaware of the CLI. Everything else is the host itself.
 */
export function observingHost(host: Host, observed: Observed): Host {
  const view: Host = Object.create(host, {
    createLearner: {
      value: (id: string, config: unknown, deps: FactoryDeps): Learner => {
        const learner = host.createLearner(id, config, deps);
        observed.onLearner?.(learner);
        return learner;
      },
    },
    createEnvironment: {
      value: (id: string, config: unknown, deps: FactoryDeps): AnyEnv => {
        const env = host.createEnvironment(id, config, deps);
        observed.onEnvironment?.(env);
        return env;
      },
    },
    pipeline: { value: () => new PipelineBuilder(view) },
  });
  return view;
}

/**
 * Holds back `env.close()` (the pipeline closes its environment when the run ends) until `release()`: an own
 * property shadows the method, and deleting it restores the class's close. A Proxy would break classes with
 * private fields.
 */
export function deferClose(env: AnyEnv): { release(): void } {
  let released = false;
  Object.defineProperty(env, 'close', { value: () => {}, configurable: true, writable: true });
  return {
    release() {
      if (released) return;
      released = true;
      delete (env as { close?: unknown }).close;
      env.close?.();
    },
  };
}
