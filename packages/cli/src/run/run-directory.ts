import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { writeFileAtomic } from '@twinforge/data';

/** Relative paths inside a run directory: one place, so run, report and tests agree. */
export const RUN_FILES = {
  /** Status, seeds, versions, timings and the summary; rewritten atomically at every phase. */
  run: 'run.json',
  /** The validated pipeline definition the run used (shorthands expanded, seeds resolved). */
  config: 'config.json',
  dataset: 'dataset',
  learningCurves: 'metrics/learning-curves.parquet',
  trainMetrics: 'metrics/train-metrics.parquet',
  evaluation: 'metrics/evaluation.parquet',
  /** One sampled scenario (maps and events) per the first seed, for the report's maps. */
  scenario: 'scenarios/sample.json',
  checkpoints: 'checkpoints',
  plots: 'plots',
  report: 'report.html',
} as const;

/** A fresh directory: runs never overwrite each other. */
export function createRunDirectory(dir: string): string {
  const abs = resolve(dir);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory() || readdirSync(abs).length > 0) {
      throw new TwinforgeError(
        'DATASET_EXISTS',
        `run directory ${dir} already exists and is not empty; choose another --out or remove it`,
        { details: { dir: abs } },
      );
    }
  }
  for (const sub of ['metrics', 'scenarios', 'plots']) mkdirSync(join(abs, sub), { recursive: true });
  return abs;
}

/** The default run directory: runs/<name>/<UTC stamp>-s<seed>. */
export function defaultRunDirectory(name: string, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return join('runs', name, `${stamp}-s${seed}`);
}

export function writeJson(runDir: string, relative: string, value: unknown): void {
  writeFileAtomic(join(runDir, relative), `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(runDir: string, relative: string): T {
  const path = join(runDir, relative);
  if (!existsSync(path)) {
    throw new TwinforgeError('FILE_NOT_FOUND', `${path} not found: is ${runDir} a twinforge run directory?`, {
      details: { file: path },
    });
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
