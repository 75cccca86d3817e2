import type { RunRecord } from '../run/run-pipeline.js';
import type { PolicyScore, RunSummary } from '../run/summary.js';

/** Everything the page shows; images are paths relative to the run directory, all of which exist. */
export interface ReportModel {
  record: RunRecord;
  summary: RunSummary;
  config: unknown;
  figures: { title: string; caption: string; svg: string; png: string }[];
  scenario?: { id: string; params: Record<string, unknown>; events: unknown[]; mapNames: string[] };
  datasetGlob?: string;
}

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));

function table(head: string[], rows: unknown[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function scoreRows(scores: readonly PolicyScore[]): unknown[][] {
  return scores.map((s) => [s.policy, s.kind, fmt(s.meanReturn), `± ${fmt(s.ci95)}`, fmt(s.std), s.episodes]);
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid #e3e6ea; padding-bottom: 4px; }
.sub { color: #5b6575; margin: 0 0 16px; }
.status { display: inline-block; padding: 2px 10px; border-radius: 10px; font-weight: 600; font-size: 13px; vertical-align: middle; }
.completed { background: #dff3e4; color: #17622f; } .interrupted { background: #fff1cc; color: #7a5400; } .failed, .running { background: #fde2e1; color: #8a1f17; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; } th, td { padding: 4px 12px 4px 0; text-align: left; border-bottom: 1px solid #eef0f3; }
td:nth-child(n+3) { font-variant-numeric: tabular-nums; }
figure { margin: 18px 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eef0f3; }
figcaption { color: #5b6575; font-size: 13px; } code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f3f5f7; padding: 10px; overflow-x: auto; } .kv td:first-child { color: #5b6575; }
`;

/** A static page: no scripts and no external resources, so it opens from disk, in CI and in mail. */
export function reportHtml(m: ReportModel): string {
  const { record, summary } = m;
  const t = summary.train;
  const parts: string[] = [];
  parts.push(
    `<h1>${escapeHtml(record.name)} <span class="status ${escapeHtml(summary.status)}">${escapeHtml(summary.status)}</span></h1>`,
  );
  parts.push(
    `<p class="sub">twinforge run · started ${escapeHtml(record.startedAt)}${record.finishedAt ? ` · finished ${escapeHtml(record.finishedAt)}` : ''} · ${(summary.durationMs / 1000).toFixed(1)} s · seeds ${escapeHtml(summary.seeds.join(', '))}</p>`,
  );
  if (record.note) parts.push(`<p class="note">${escapeHtml(record.note)}</p>`);
  if (record.error)
    parts.push(`<p class="note">failed: [${escapeHtml(record.error.code)}] ${escapeHtml(record.error.message)}</p>`);

  parts.push('<h2>Summary</h2>');
  parts.push(
    table(
      ['', 'value'],
      [
        ['seeds completed', `${summary.completedSeeds.length} of ${summary.seeds.length}`],
        ['training episodes', `${t.episodes} (${summary.episodesPerSeed} per seed)`],
        ['environment steps', t.steps],
        ['training mean return', fmt(t.meanReturn)],
        ['mean return, last 10 % of episodes', fmt(t.finalMeanReturn)],
      ],
    ).replace('<table>', '<table class="kv">'),
  );
  if (summary.evaluation.policies.length > 0) {
    parts.push(
      `<p>Greedy evaluation, ${summary.evaluation.episodesPerSeed} episodes per seed, every policy on the same scenarios and reset seeds:</p>`,
    );
    parts.push(
      table(['policy', 'kind', 'mean return', '95 % CI', 'std', 'episodes'], scoreRows(summary.evaluation.policies)),
    );
  }

  if (m.figures.length > 0) parts.push('<h2>Plots</h2>');
  for (const f of m.figures) {
    parts.push(
      `<figure><img src="${escapeHtml(f.svg)}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.caption)} ` +
        `(<a href="${escapeHtml(f.svg)}">SVG</a>, <a href="${escapeHtml(f.png)}">PNG</a>)</figcaption></figure>`,
    );
  }

  if (m.scenario) {
    parts.push('<h2>Scenario</h2>');
    parts.push(
      `<p>The first training scenario of seed ${escapeHtml(summary.seeds[0])}: <code>${escapeHtml(m.scenario.id)}</code>${m.scenario.mapNames.length > 0 ? `, maps ${escapeHtml(m.scenario.mapNames.join(', '))} (plotted above)` : ''}.</p>`,
    );
    const params = Object.entries(m.scenario.params);
    if (params.length > 0) parts.push(table(['parameter', 'value'], params));
    if (m.scenario.events.length > 0) {
      parts.push(
        table(
          ['t (s)', 'event', 'details'],
          m.scenario.events.map((e) => {
            const { t: time, kind, ...rest } = e as { t: number; kind: string };
            return [time, kind, JSON.stringify(rest)];
          }),
        ),
      );
    } else parts.push('<p>No scheduled events.</p>');
  }

  if (summary.dataset) {
    const d = summary.dataset;
    parts.push('<h2>Dataset</h2>');
    parts.push(
      `<p><code>${escapeHtml(d.path)}/</code>: ${d.rows} rows, ${d.episodes} episodes${d.complete ? '' : ' (partial: complete trajectories only)'}; LeRobot v3 layout, one row per agent-step.</p>`,
    );
    parts.push(
      `<pre>SELECT episode_index, sum("next.reward") AS return\nFROM read_parquet('${escapeHtml(m.datasetGlob ?? `${d.path}/data/*/*.parquet`)}')\nGROUP BY 1 ORDER BY 1;</pre>`,
    );
  }
  if (summary.checkpoints.length > 0) {
    parts.push('<h2>Checkpoints</h2>');
    parts.push(`<ul>${summary.checkpoints.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`);
  }
  parts.push('<h2>Configuration</h2>');
  parts.push(`<pre>${escapeHtml(JSON.stringify(m.config, null, 2))}</pre>`);
  parts.push('<h2>Versions</h2>');
  parts.push(`<pre>${escapeHtml(JSON.stringify(record.versions, null, 2))}</pre>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(record.name)}: twinforge report</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body><main>
${parts.join('\n')}
</main></body>
</html>
`;
}
