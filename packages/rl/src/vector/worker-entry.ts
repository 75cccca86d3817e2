import { TwinforgeError } from '@twinforge/core';

/** What `new Worker(filename, { eval })` needs to start an AsyncVectorEnv worker. */
export interface WorkerEntry {
  filename: string | URL;
  eval: boolean;
}

/**
 * Where the worker's code lives. From the built package it is the sibling `async-vector-worker.js`. From the
 * TypeScript sources (vitest, tsx) the sibling is a `.ts` file that Node 20 cannot start as a worker — workers do
 * not inherit tsx's or vite's loaders — so a two-line bootstrap loads it through tsx's `tsImport`. Both threads then
 * run the same source, and tests never depend on a stale dist.
 */
export function workerEntry(): WorkerEntry {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { filename: new URL('./async-vector-worker.js', self), eval: false };
  let tsxApi: string;
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch (err) {
    throw new TwinforgeError(
      'WORKER_FAILED',
      'AsyncVectorEnv runs from TypeScript sources here; its worker needs tsx installed, or use the built package',
      { cause: err },
    );
  }
  const worker = new URL('./async-vector-worker.ts', self).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(self)}));`;
  return { filename: code, eval: true };
}
