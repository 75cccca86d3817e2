import { type FactoryDeps, type Host, type Learner, PipelineBuilder } from '@twinforge/core';

/**
 * A view of `host` that reports every learner it creates. The pipeline builds its learner inside the run, but the
 * CLI needs that very instance afterwards to save a checkpoint and to evaluate the trained policy against the
 * baselines; the Host interface is the seam, so core stays unaware of the CLI. Everything else is the host itself.
 */
export function observingHost(host: Host, onLearner: (learner: Learner, id: string) => void): Host {
  const view: Host = Object.create(host, {
    createLearner: {
      value: (id: string, config: unknown, deps: FactoryDeps): Learner => {
        const learner = host.createLearner(id, config, deps);
        onLearner(learner, id);
        return learner;
      },
    },
    pipeline: { value: () => new PipelineBuilder(view) },
  });
  return view;
}
