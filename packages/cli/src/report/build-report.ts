import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { writeFileAtomic } from '@twinforge/data';
import { type EpisodeRow, type EvaluationRow, type MetricRow, readRows } from '../run/metrics-tables.js';
import { RUN_FILES, readJson } from '../run/run-directory.js';
import type { RunRecord } from '../run/run-pipeline.js';
import { policyScores, type RunSummary, trainStats } from '../run/summary.js';
import {
  evaluationSpec,
  type GridLike,
  learningCurveSpec,
  mapSpec,
  smoothingWindow,
  trainMetricsSpec,
} from './chart-specs.js';
import { writeChart } from './render-chart.js';
import { type ReportModel, reportHtml } from './report-html.js';

export interface BuiltReport {
  /** report.html, relative to the run directory. */
  report: string;
  /** Every image written, relative to the run directory. */
  images: string[];
  summary: RunSummary;
}

async function rowsIfPresent<T>(runDir: string, relative: string): Promise<T[]> {
  return existsSync(join(runDir, relative)) ? await readRows<T>(runDir, relative) : [];
}

interface ScenarioFile {
  id: string;
  params: Record<string, unknown>;
  events: unknown[];
  maps?: Record<string, GridLike>;
}

/**
 * Renders report.html and its plots (SVG + PNG) from what the run directory holds: run.json for status and
 * provenance, the metrics Parquet tables for every number and curve (so a report rebuilt later shows the same
 * values the run printed), and the sampled scenario for the maps. Works on partial (interrupted) runs too.
 */
export async function buildReport(dir: string): Promise<BuiltReport> {
  const runDir = resolve(dir);
  if (!existsSync(join(runDir, RUN_FILES.run))) {
    throw new TwinforgeError('FILE_NOT_FOUND', `${dir} is not a twinforge run directory (no ${RUN_FILES.run})`, {
      details: { dir: runDir },
    });
  }
  const record = readJson<RunRecord>(runDir, RUN_FILES.run);
  const config = existsSync(join(runDir, RUN_FILES.config)) ? readJson<unknown>(runDir, RUN_FILES.config) : {};
  const episodes = await rowsIfPresent<EpisodeRow>(runDir, RUN_FILES.learningCurves);
  const metrics = await rowsIfPresent<MetricRow>(runDir, RUN_FILES.trainMetrics);
  const evaluations = await rowsIfPresent<EvaluationRow>(runDir, RUN_FILES.evaluation);
  const base = record.summary;
  const summary: RunSummary = {
    status: record.status,
    seeds: record.seeds,
    completedSeeds: base?.completedSeeds ?? [],
    episodesPerSeed: base?.episodesPerSeed ?? 0,
    train: trainStats(episodes),
    evaluation: { episodesPerSeed: base?.evaluation.episodesPerSeed ?? 0, policies: policyScores(evaluations) },
    ...(base?.dataset ? { dataset: base.dataset } : {}),
    checkpoints: base?.checkpoints ?? [],
    durationMs: base?.durationMs ?? 0,
  };

  mkdirSync(join(runDir, RUN_FILES.plots), { recursive: true });
  const figures: ReportModel['figures'] = [];
  const images: string[] = [];
  const add = async (name: string, title: string, caption: string, spec: Parameters<typeof writeChart>[3]) => {
    const files = await writeChart(runDir, RUN_FILES.plots, name, spec);
    figures.push({ title, caption, ...files });
    images.push(files.svg, files.png);
  };
  if (episodes.length > 0) {
    const window = smoothingWindow(summary.episodesPerSeed || Math.max(...episodes.map((e) => e.episode + 1)));
    await add(
      'learning-curve',
      'Learning curve',
      `Training return per episode, moving average over ${window} episode(s); the band spans the seeds` +
        (new Set(episodes.map((e) => e.policy)).size > 1 ? '; baselines that train are drawn with the learner.' : '.'),
      learningCurveSpec(episodes, summary.episodesPerSeed || episodes.length),
    );
  }
  if (summary.evaluation.policies.length > 0) {
    await add(
      'evaluation',
      'Trained learner against baselines',
      'Mean greedy return per episode with 95 % confidence intervals, on common scenarios and reset seeds.',
      evaluationSpec(summary.evaluation.policies),
    );
  }
  if (metrics.length > 0) {
    await add(
      'train-metrics',
      'Learner metrics',
      'Metrics the learner reported while training.',
      trainMetricsSpec(metrics),
    );
  }
  let scenario: ReportModel['scenario'];
  const scenarioPath = join(runDir, RUN_FILES.scenario);
  if (existsSync(scenarioPath)) {
    const s = JSON.parse(readFileSync(scenarioPath, 'utf8')) as ScenarioFile;
    const maps = Object.entries(s.maps ?? {});
    for (const [name, grid] of maps) {
      const file = `map-${name.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
      await add(
        file,
        `Scenario map ${name}`,
        `Scenario map "${name}" (${grid.unit}) of scenario ${s.id}.`,
        mapSpec(name, grid),
      );
    }
    scenario = { id: s.id, params: s.params, events: s.events, mapNames: maps.map(([n]) => n) };
  }

  const model: ReportModel = {
    record,
    summary,
    config,
    figures,
    ...(scenario ? { scenario } : {}),
    datasetGlob: `${RUN_FILES.dataset}/data/*/*.parquet`,
  };
  writeFileAtomic(join(runDir, RUN_FILES.report), reportHtml(model));
  return { report: RUN_FILES.report, images, summary };
}
