import { Command, CommanderError, Option } from 'commander';
import { EXIT, exitCodeOf, formatError } from './util/exit.js';
import type { Io } from './util/io.js';
import { nonNegativeInt, positiveInt } from './util/parse-int.js';
import { cliVersion } from './util/versions.js';

/**
 * Builds the `twinforge` command tree. Commands are imported when they run, so `--help` does not load Vega, DuckDB
 * or the Parquet codec. Each action stores its exit code in `state` instead of exiting, so the same
 * program runs in tests and in the bin.
 */
function buildProgram(io: Io, state: { code: number }): Command {
  const program = new Command('twinforge')
    .description('Train and test network-control agents in digital twins: run pipelines, inspect data, render reports')
    .version(cliVersion(), '-V, --version')
    .option('--verbose', 'show stacks and causes of errors, and log plugin messages')
    .showHelpAfterError('(run twinforge --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
    });
  const verbose = () => Boolean(program.opts().verbose);

  program
    .command('run')
    .description('compose and run a pipeline: train every seed, evaluate against baselines, write the run directory')
    .argument('<pipeline>', 'pipeline.ts (default export: a definition) or a config .json / .yaml')
    .option('--seed <n>', 'first seed (overrides the file; more seeds count up from it)', nonNegativeInt)
    .option('--seeds <n>', 'number of seeds (overrides the file)', positiveInt)
    .option('--episodes <n>', 'training episodes per seed (overrides the file)', positiveInt)
    .option('--out <dir>', 'run directory (default runs/<name>/<time>-s<seed>); must be new or empty')
    .addOption(new Option('--executor <kind>', 'where rollouts run').default('inline'))
    .option('--json', 'print machine-readable events, one JSON object per line, instead of progress bars', false)
    .action(async (file: string, opts) => {
      const { runCommand } = await import('./commands/run-command.js');
      state.code = await runCommand(file, { ...opts, verbose: verbose() }, io);
    });

  const plugins = program.command('plugins').description('installed plugins and what they provide');
  plugins
    .command('list')
    .description('list installed plugins, their contributions and whether their apiVersion fits this host')
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const { pluginsListCommand } = await import('./commands/plugins-command.js');
      state.code = await pluginsListCommand(opts, io);
    });
  plugins
    .command('info')
    .description("show one plugin's environments, generators and learners with their config fields")
    .argument(
      '<plugin>',
      'package name or short name (example → twinforge-plugin-example); @twinforge/core for built-ins',
    )
    .option('--json', 'print JSON', false)
    .action(async (name: string, opts) => {
      const { pluginsInfoCommand } = await import('./commands/plugins-command.js');
      state.code = await pluginsInfoCommand(name, opts, io);
    });

  const data = program.command('data').description('trajectory datasets (a dataset or a run directory)');
  data
    .command('inspect')
    .description('schema, counts and per-feature statistics')
    .argument('<dataset>', 'dataset directory or run directory')
    .option('--json', 'print JSON', false)
    .action(async (path: string, opts) => {
      const { dataInspectCommand } = await import('./commands/data-command.js');
      state.code = await dataInspectCommand(path, opts, io);
    });
  data
    .command('export')
    .description('export to JSON lines (one row per agent-step) or a D4RL-style transition table (JSON)')
    .argument('<dataset>', 'dataset directory or run directory')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'd4rl']).default('jsonl'))
    .requiredOption('--out <file>', 'output file')
    .action(async (path: string, opts) => {
      const { dataExportCommand } = await import('./commands/data-command.js');
      state.code = await dataExportCommand(path, opts, io);
    });
  data
    .command('query')
    .description('SQL through DuckDB over views steps, episodes (and learning_curves, evaluation, train_metrics)')
    .argument('<dataset>', 'dataset directory or run directory')
    .argument('<sql>', 'e.g. "SELECT episode_index, sum(\\"next.reward\\") FROM steps GROUP BY 1"')
    .option('--json', 'print the rows as JSON', false)
    .option('--max-rows <n>', 'rows to print', positiveInt, 50)
    .action(async (path: string, sql: string, opts) => {
      const { dataQueryCommand } = await import('./commands/data-command.js');
      state.code = await dataQueryCommand(path, sql, opts, io);
    });

  program
    .command('report')
    .description('render report.html and its SVG/PNG plots from a run directory')
    .argument('<run-dir>', 'a directory written by twinforge run')
    .option('--json', 'print JSON', false)
    .action(async (dir: string, opts) => {
      const { reportCommand } = await import('./commands/report-command.js');
      state.code = await reportCommand(dir, opts, io);
    });

  program
    .command('bench')
    .description("list the repository's benchmarks (scripts/bench), or run one")
    .argument('[name]', 'benchmark to run, e.g. vector-env')
    .argument('[args...]', 'arguments for the benchmark, after --, e.g. -- --smoke')
    .option('--dir <folder>', 'benchmark folder (default: the nearest scripts/bench)')
    .action(async (name: string | undefined, args: string[], opts: { dir?: string }) => {
      const { benchCommand } = await import('./commands/bench-command.js');
      state.code = await benchCommand(name, args, opts, io);
    });

  return program;
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const state = { code: EXIT.ok as number };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const wantsJson = argv.includes('--json');
    io.err.write(`${formatError(error, Boolean(program.opts().verbose))}\n`);
    if (wantsJson) {
      const e = error as { code?: unknown; message?: unknown };
      io.out.write(`${JSON.stringify({ type: 'error', code: e.code ?? 'UNEXPECTED', message: String(e.message) })}\n`);
    }
    return exitCodeOf(error);
  }
}
