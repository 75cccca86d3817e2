import type { EpisodeRow, EvaluationRow } from './metrics-tables.js';

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'failed';

/** One policy's greedy evaluation over every seed it was evaluated on. */
export interface PolicyScore {
  policy: string;
  kind: 'learner' | 'baseline';
  episodes: number;
  meanReturn: number;
  /** Standard deviation of the episode returns. */
  std: number;
  /** Half-width of the normal 95 % confidence interval of the mean. */
  ci95: number;
}

/** What `twinforge run` prints at the end and stores in run.json; derived from the metrics tables alone. */
export interface RunSummary {
  status: RunStatus;
  seeds: number[];
  /** Seeds whose training and evaluation both finished. */
  completedSeeds: number[];
  episodesPerSeed: number;
  train: {
    episodes: number;
    steps: number;
    meanReturn: number;
    /** Mean over seeds of the mean return of each seed's last 10 % of episodes (at least one). */
    finalMeanReturn: number;
  };
  evaluation: { episodesPerSeed: number; policies: PolicyScore[] };
  dataset?: { path: string; rows: number; episodes: number; complete: boolean };
  checkpoints: string[];
  durationMs: number;
}

const mean = (v: readonly number[]): number => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);

function std(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Training statistics of the learner (baselines' training curves are plotted, not summarised here). */
export function trainStats(all: readonly EpisodeRow[]): RunSummary['train'] {
  const rows = all.filter((r) => r.kind === 'learner');
  const bySeed = new Map<number, EpisodeRow[]>();
  for (const r of rows) bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), r]);
  const finals = [...bySeed.values()].map((seedRows) => {
    const sorted = [...seedRows].sort((a, b) => a.episode - b.episode);
    const tail = sorted.slice(-Math.max(1, Math.floor(sorted.length / 10)));
    return mean(tail.map((r) => r.return));
  });
  return {
    episodes: rows.length,
    steps: rows.reduce((a, r) => a + r.length, 0),
    meanReturn: mean(rows.map((r) => r.return)),
    finalMeanReturn: mean(finals),
  };
}

/** Scores in first-seen order: the learner first, then the baselines as listed. */
export function policyScores(rows: readonly EvaluationRow[]): PolicyScore[] {
  const groups = new Map<string, EvaluationRow[]>();
  for (const r of rows) groups.set(r.policy, [...(groups.get(r.policy) ?? []), r]);
  return [...groups.entries()].map(([policy, g]) => {
    const returns = g.map((r) => r.return);
    const s = std(returns);
    return {
      policy,
      kind: (g[0] as EvaluationRow).kind,
      episodes: g.length,
      meanReturn: mean(returns),
      std: s,
      ci95: returns.length > 1 ? (1.96 * s) / Math.sqrt(returns.length) : 0,
    };
  });
}

/** The human summary; the numbers are the ones in run.json (3 decimals). */
export function formatSummary(summary: RunSummary, where: { runDir: string; report?: string }): string {
  const lines: string[] = [];
  const t = summary.train;
  lines.push(
    `${summary.status}: ${summary.completedSeeds.length}/${summary.seeds.length} seed(s) [${summary.seeds.join(', ')}], ` +
      `${t.episodes} training episodes, ${t.steps} steps in ${(summary.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push(`  training mean return ${t.meanReturn.toFixed(3)} (last 10%: ${t.finalMeanReturn.toFixed(3)})`);
  if (summary.evaluation.policies.length > 0) {
    lines.push(`  evaluation, ${summary.evaluation.episodesPerSeed} greedy episodes per seed:`);
    const width = Math.max(...summary.evaluation.policies.map((p) => p.policy.length));
    for (const p of summary.evaluation.policies) {
      lines.push(
        `    ${p.kind.padEnd(8)} ${p.policy.padEnd(width)}  mean return ${p.meanReturn.toFixed(3)} ± ${p.ci95.toFixed(3)} (95% CI, n=${p.episodes})`,
      );
    }
  }
  if (summary.dataset) {
    const d = summary.dataset;
    lines.push(
      `  dataset:  ${where.runDir}/${d.path} (${d.rows} rows, ${d.episodes} episodes${d.complete ? '' : ', partial'})`,
    );
  }
  for (const c of summary.checkpoints) lines.push(`  checkpoint: ${where.runDir}/${c}`);
  if (where.report) lines.push(`  report:   ${where.runDir}/${where.report}`);
  return lines.join('\n');
}
