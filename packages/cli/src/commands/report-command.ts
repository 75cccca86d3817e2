import { resolve } from 'node:path';
import { buildReport } from '../report/build-report.js';
import { formatSummary } from '../run/summary.js';
import { displayPath } from '../util/display-path.js';
import type { Io } from '../util/io.js';

/** `twinforge report <run-dir>`: (re)renders report.html and the plots from what the run directory holds. */
export async function reportCommand(dir: string, options: { json: boolean }, io: Io): Promise<number> {
  const runDir = resolve(io.cwd, dir);
  const built = await buildReport(runDir);
  if (options.json) {
    io.out.write(`${JSON.stringify({ runDir, ...built }, null, 2)}\n`);
    return 0;
  }
  const shown = displayPath(io.cwd, runDir);
  io.out.write(`${formatSummary(built.summary, { runDir: shown, report: built.report })}\n`);
  io.out.write(`  plots:    ${built.images.length} files in ${shown}/plots\n`);
  return 0;
}
