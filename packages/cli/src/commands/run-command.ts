import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConsoleLogger, silentLogger } from '@twinforge/core';
import { loadDefinition } from '../definition/load-definition.js';
import type { PipelineDefinition } from '../definition/pipeline-definition.js';
import { chooseReporter } from '../progress/reporters.js';
import { buildReport } from '../report/build-report.js';
import { defaultRunDirectory, RUN_FILES } from '../run/run-directory.js';
import { runPipeline } from '../run/run-pipeline.js';
import { formatSummary, type RunSummary } from '../run/summary.js';
import { displayPath } from '../util/display-path.js';
import { EXIT, UsageError } from '../util/exit.js';
import type { Io } from '../util/io.js';

export interface RunCommandOptions {
  seed?: number;
  seeds?: number;
  episodes?: number;
  out?: string;
  executor: string;
  json: boolean;
  verbose: boolean;
}

/** Executors this CLI can drive; threads and bullmq arrive with @twinforge/runtime. */
const EXECUTORS = ['inline'] as const;

async function checkExecutor(kind: string): Promise<void> {
  if ((EXECUTORS as readonly string[]).includes(kind)) return;
  let runtime = false;
  const runtimePackage = '@twinforge/runtime';
  try {
    await import(runtimePackage);
    runtime = true;
  } catch {}
  throw new UsageError(
    runtime
      ? `--executor ${kind} is not supported by this version of the CLI; available: ${EXECUTORS.join(', ')}`
      : `--executor ${kind} needs @twinforge/runtime, which is not installed; available: ${EXECUTORS.join(', ')}`,
  );
}

function applyOverrides(d: PipelineDefinition, o: RunCommandOptions): PipelineDefinition {
  let seeds = d.seeds;
  if (o.seeds !== undefined) seeds = Array.from({ length: o.seeds }, (_v, i) => (d.seeds[0] as number) + i);
  return { ...d, seeds, episodes: o.episodes ?? d.episodes };
}

/**
 * `twinforge run <pipeline>`: loads and checks the definition, trains every seed into a fresh run directory,
 * evaluates against the baselines, renders the report and prints the summary. Ctrl-C stops after the current
 * episode, seals what is complete and exits 130; a second Ctrl-C quits at once.
 */
export async function runCommand(file: string, options: RunCommandOptions, io: Io): Promise<number> {
  await checkExecutor(options.executor);
  const reporter = chooseReporter({ json: options.json }, io);
  const controller = new AbortController();
  let interrupts = 0;
  const unsubscribe = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      reporter.event({
        type: 'interrupting',
        reason:
          'interrupt: finishing the current episode, sealing the dataset and writing the partial run directory ' +
          '(Ctrl-C again to quit at once)',
      });
      controller.abort(new Error('interrupted'));
    } else {
      io.err.write('twinforge: interrupted again, quitting at once; the run directory may be incomplete\n');
      process.exit(EXIT.interrupted);
    }
  });
  try {
    const loaded = await loadDefinition(file, {
      cwd: io.cwd,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    const definition = applyOverrides(loaded.definition, options);
    const runDir = resolve(io.cwd, options.out ?? defaultRunDirectory(definition.name, definition.seeds[0] as number));
    const shown = displayPath(io.cwd, runDir);
    let summary: RunSummary;
    try {
      summary = await runPipeline({
        definition,
        file: loaded.file,
        cwd: io.cwd,
        runDir,
        signal: controller.signal,
        onEvent: (e) => reporter.event(e),
        logger: options.verbose ? new ConsoleLogger('info') : silentLogger,
        argv: process.argv.slice(2),
      });
    } catch (error) {
      // A run that failed midway still gets its report (status "failed" and the error at the top), when it got as
      // far as a run directory; the error itself is what the user sees.
      if (existsSync(join(runDir, RUN_FILES.run))) {
        await buildReport(runDir).then(
          () => reporter.note(`the partial results and the error are in ${shown}/${RUN_FILES.report}`),
          () => {},
        );
      }
      throw error;
    }
    const report = await buildReport(runDir);
    reporter.close();
    if (options.json) reporter.event({ type: 'summary', runDir, report: report.report, summary });
    else io.out.write(`${formatSummary(summary, { runDir: shown, report: report.report })}\n`);
    if (summary.status === 'interrupted') {
      io.err.write(
        `interrupted: ${shown} is a consistent partial run (status "interrupted" in run.json): the dataset, metrics and ` +
          'report hold only complete episodes and fully evaluated seeds; run again to get the full result\n',
      );
      return EXIT.interrupted;
    }
    return EXIT.ok;
  } finally {
    reporter.close();
    unsubscribe();
  }
}
