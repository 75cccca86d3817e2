// Entry of one map experiment in its own process: `tsx map-job.ts <job.json>` (see map-job-runner.ts).
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, silentLogger } from '@twinforge/core';
import { DiffusionMapModel } from '@twinforge/plugin-gen-diffusion';
import { initTensorBackend } from '@twinforge/tensor';
import { BASE_READY, type MapJob, toJobResult } from './map-job-runner.js';
import { runMapExperiment } from './maps.js';

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as MapJob;
await initTensorBackend({ logger: silentLogger });
// A cascade's base model trains in the parent; the parent sends BASE_READY once it is saved. Listening from the
// start keeps a message that arrives during training (this process is busy then) from being missed.
const baseSaved = new Promise<void>((resolve) => {
  const onMessage = (m: unknown) => {
    if (m !== BASE_READY) return;
    process.off('message', onMessage);
    resolve();
  };
  process.on('message', onMessage);
});
const loadBase = async (label: string) => {
  await baseSaved;
  return DiffusionMapModel.load(join(job.outDir, 'models', label));
};
const result = await runMapExperiment(
  job.experiment,
  job.dataDir,
  job.outDir,
  createRng(job.seed).split(job.experiment.label),
  (line) => process.stderr.write(`${line}\n`),
  loadBase,
);
writeFileSync(job.resultFile, JSON.stringify(toJobResult(result)));
result.model?.dispose();
process.disconnect?.(); // the IPC channel would keep this process alive
