import { createHost, type DatasetSink, type PipelineEvent, type PipelineResult } from '@twinforge/core';

export interface QuickstartOptions {
  seed: number;
  episodes: number;
  sink: DatasetSink;
  signal?: AbortSignal;
  onEvent?(event: PipelineEvent): void;
}

/**
 * The demo pipeline: the example plugin's edge-queue environment fed by its traffic-surge generator, driven by the
 * built-in random learner, every agent-step sent to the dataset sink. Plugins are named as packages, the way a
 * user's project would install them from npm.
 */
export async function runQuickstart(options: QuickstartOptions): Promise<PipelineResult> {
  const host = await createHost({ plugins: ['example'], resolveFrom: import.meta.url });
  try {
    const run = host
      .pipeline()
      .environment('example-queue', { horizon: 100, arrivalRate: 0.8, serviceRate: 1 })
      .generator('example-surges', { horizon_s: 100, maxSurges: 3 })
      .learner('random')
      .dataset(options.sink)
      .run({ seed: options.seed, episodes: options.episodes, ...(options.signal ? { signal: options.signal } : {}) });
    if (options.onEvent) run.events$.subscribe({ next: options.onEvent, error: () => {} });
    return await run.done;
  } finally {
    await host.dispose();
  }
}
