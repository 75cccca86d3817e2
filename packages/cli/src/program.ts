import { Command, CommanderError, Option } from 'commander';
import { EXIT, exitCodeOf, formatError } from './util/exit.js';
import type { Io } from './util/io.js';
import { nonNegativeInt, positiveInt } from './util/parse-int.js';
import { collectBands, finiteNumber, nonNegativeNumber, numberPair, positiveNumber } from './util/parse-number.js';
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

  const fidelity = program
    .command('fidelity')
    .description(
      'how close generated scenarios are to real ones, against the real-vs-real floor (@twinforge/fidelity)',
    );
  fidelity
    .command('maps')
    .description(
      'map fidelity of a grid column: per-pixel JS/W1, MMD² vs the floor, semivariogram, spectrum, constraints, memorisation, condition accuracy',
    )
    .argument('<real>', 'Parquet file of real maps, or a mesh scenario dataset (its data/snapshots.parquet)')
    .argument('<generated>', 'Parquet file (or dataset) of generated maps')
    .requiredOption('--column <name>', 'grid column: a list of n·n numbers per row, e.g. jamming_dBm_16')
    .option('--floor <parquet>', 'second real sample (default: split the real rows in two seeded halves)')
    .option('--training <parquet>', 'training maps, for the nearest-neighbour memorisation check')
    .option('--targets <column>', 'hot-spot count each row should have (e.g. jammer_count), for condition accuracy')
    .option('--hotspot-threshold <value>', 'hot spots are local maxima above this value', finiteNumber)
    .option('--hotspot-window <cells>', 'half-width of the window a hot spot must dominate (default 1)', positiveInt)
    .option('--range <lo,hi>', 'constraint: every cell in [lo, hi]', (v: string) => numberPair(v))
    .option('--forbidden <lo,hi>', 'constraint: no cell in (lo, hi); repeatable', collectBands)
    .option('--bins <n>', 'histogram bins of the per-pixel JS divergence (default 32)', positiveInt)
    .option('--seed <n>', 'seed of the floor split and of size matching', nonNegativeInt, 0)
    .option(
      '--mmd-draws <n>',
      'seeded redraws of the reference/floor split that the MMD²/floor verdict averages (default 5; 1 with --floor)',
      positiveInt,
    )
    .option(
      '--max-mmd-ratio <x>',
      'gate: fail (exit 3) when MMD²/floor (the mean over --mmd-draws) > x',
      positiveNumber,
    )
    .option('--max-violations <rate>', 'gate: fail when the share of violating cells > rate', nonNegativeNumber)
    .option('--min-condition-accuracy <a>', 'gate: fail when condition accuracy < a', nonNegativeNumber)
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print the report as JSON', false)
    .action(async (real: string, generated: string, opts) => {
      const { fidelityMapsCommand } = await import('./commands/fidelity-command.js');
      state.code = await fidelityMapsCommand(real, generated, opts, io);
    });
  fidelity
    .command('events')
    .description(
      'event-timeline fidelity: unigram/bigram JS, inter-arrival KS, transition L1 and validity against the real-vs-real floor',
    )
    .argument(
      '<real>',
      'Parquet events table (events.parquet layout), or a mesh scenario dataset (data/events.parquet)',
    )
    .argument('<generated>', 'Parquet events table (or dataset) of generated timelines')
    .requiredOption(
      '--nodes <n>',
      'validity: nodes of the mesh (a link may also end at the gateway, index n)',
      positiveInt,
    )
    .option('--horizon <s>', 'validity: episode length, events after it are invalid', positiveNumber)
    .option('--max-jammers <k>', 'validity: jammer ids are 0..k-1', positiveInt)
    .option('--channels <c>', 'validity: channels 0..c-1', positiveInt)
    .option('--width <m>', 'validity: positions within [0, width]', positiveNumber)
    .option('--height <m>', 'validity: positions within [0, height]', positiveNumber)
    .option('--floor <parquet>', 'second real sample (default: split the real timelines in two seeded halves)')
    .option('--seed <n>', 'seed of the floor split and of size matching', nonNegativeInt, 0)
    .option('--max-bigram-js <x>', 'gate: fail (exit 3) when the bigram JS divergence > x', nonNegativeNumber)
    .option('--min-ks-p <p>', 'gate: fail when the inter-arrival KS p-value < p', nonNegativeNumber)
    .option(
      '--max-violations <n>',
      'gate: fail when the generated timelines break rules more than n times',
      nonNegativeInt,
    )
    .option('--csv <file>', 'also write the table as CSV')
    .option('--json', 'print the report as JSON', false)
    .action(async (real: string, generated: string, opts) => {
      const { fidelityEventsCommand } = await import('./commands/fidelity-command.js');
      state.code = await fidelityEventsCommand(real, generated, opts, io);
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
