import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MapExperiment, MapResult } from './maps.js';

/**
 * Runs map experiments in a child process, so that the reproduction trains the 32×32 model beside the 16×16 one:
 * tfjs-wasm is single-threaded, so on 2 cores two trainings take about the time of the longer instead of the sum.
 */
export interface MapJob {
  readonly experiment: MapExperiment;
  readonly dataDir: string;
  readonly outDir: string;
  /** The run's seed: the child draws from createRng(seed).split(label), the stream the parent would have used. */
  readonly seed: number;
  readonly resultFile: string;
}

/** A MapResult as JSON carries it: no model (it is saved under outDir/models), maps as plain arrays. */
export type MapJobResult = Omit<MapResult, 'model' | 'generated'> & { readonly generated: number[][] };

export function toJobResult(r: MapResult): MapJobResult {
  const { model: _model, generated, ...rest } = r;
  return { ...rest, generated: generated.map((m) => Array.from(m)) };
}

/** Back to a MapResult without its model (float32 values survive JSON exactly). */
export function fromJobResult(r: MapJobResult): MapResult {
  return { ...r, generated: r.generated.map((m) => Float32Array.from(m)) };
}

/** A map experiment running in a child process. */
export interface MapJobHandle {
  readonly result: Promise<MapResult>;
  /**
   * Tells the child that the models it cascades from are saved under outDir/models (a cascade experiment waits for
   * this before its evaluation; others ignore it).
   */
  releaseBase(): void;
}

/**
 * Starts `experiment` in a child process (tsx, this file's sibling map-job.ts); `result` resolves with its result;
 * the child logs to this process's stderr. Rejects, with the child's exit code, when it fails. The job and result files
 * live in a temporary directory that is removed once the child ends, so the output directory holds only results.
 */
export function runMapExperimentInChild(job: Omit<MapJob, 'resultFile'>): MapJobHandle {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
  const tmp = mkdtempSync(join(tmpdir(), `twinforge-${job.experiment.label}-`));
  const jobFile = join(tmp, 'job.json');
  const resultFile = join(tmp, 'result.json');
  writeFileSync(jobFile, JSON.stringify({ ...job, resultFile } satisfies MapJob));
  // The child's log goes straight to this process's stderr: the parent trains synchronously meanwhile and would
  // only read a pipe between its own steps. Whole lines are written at once, so the two logs interleave by line.
  // The IPC channel carries one message, "base models saved".
  const child = spawn(tsx, [join(here, 'map-job.ts'), jobFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<MapResult>((resolve, reject) => {
    const cleanUp = () => rmSync(tmp, { recursive: true, force: true });
    child.on('error', (e) => {
      cleanUp();
      reject(e);
    });
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`map experiment ${job.experiment.label} failed in its process (exit ${code})`);
        resolve(fromJobResult(JSON.parse(readFileSync(resultFile, 'utf8')) as MapJobResult));
      } catch (e) {
        reject(e);
      } finally {
        cleanUp();
      }
    });
  });
  return {
    result,
    releaseBase: () => {
      if (child.connected) child.send(BASE_READY);
    },
  };
}

/** The message that tells a child its base models are saved. */
export const BASE_READY = 'base-models-saved';
