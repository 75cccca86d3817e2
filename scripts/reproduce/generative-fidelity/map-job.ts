// Entry of one map experiment in its own process: `tsx map-job.ts <job.json>` (see map-job-runner.ts).
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRng, silentLogger } from '@twinforge/core';
import { initTensorBackend } from '@twinforge/tensor';
import { type MapJob, toJobResult } from './map-job-runner.js';
import { runMapExperiment } from './maps.js';

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as MapJob;
await initTensorBackend({ logger: silentLogger });
const result = await runMapExperiment(
  job.experiment,
  job.dataDir,
  job.outDir,
  createRng(job.seed).split(job.experiment.label),
  (line) => process.stderr.write(`${line}\n`),
);
writeFileSync(job.resultFile, JSON.stringify(toJobResult(result)));
result.model?.dispose();
