import cliProgress from 'cli-progress';
import type { RunEvent } from '../run/events.js';

/** Where `twinforge run` shows its progress: bars on a terminal, plain lines in logs, JSON lines for machines. */
export interface Reporter {
  event(event: RunEvent): void;
  /** A human message (interrupt notices, warnings); never mixed into JSON output. */
  note(message: string): void;
  close(): void;
}

export interface Streams {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** Mean of the last (up to) ten returns: the "latest metric" a progress line shows. */
class RecentReturns {
  #values: number[] = [];
  push(v: number): void {
    this.#values.push(v);
    if (this.#values.length > 10) this.#values.shift();
  }
  get mean(): number {
    return this.#values.length === 0 ? Number.NaN : this.#values.reduce((a, b) => a + b, 0) / this.#values.length;
  }
  reset(): void {
    this.#values = [];
  }
}

/** Steps per second over the seed so far. */
class Rate {
  #start = performance.now();
  reset(): void {
    this.#start = performance.now();
  }
  perSecond(count: number): number {
    const s = (performance.now() - this.#start) / 1000;
    return s > 0 ? count / s : 0;
  }
}

const num = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** The learner's latest metrics event, short: `loss 0.0123 epsilon 0.05` (at most three values). */
function latestMetrics(values: Record<string, number> | undefined): string {
  if (!values) return '';
  return Object.entries(values)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? String(v) : v.toPrecision(3)}`)
    .join(' ');
}

/** `--json`: every event as one JSON line on stdout; notes go to stderr. */
export class JsonReporter implements Reporter {
  constructor(private readonly streams: Streams) {}
  event(event: RunEvent): void {
    this.streams.out.write(`${JSON.stringify(event)}\n`);
    // A person pressed Ctrl-C: they get the answer in words too, where JSON consumers will not trip on it.
    if (event.type === 'interrupting') this.note(event.reason);
  }
  note(message: string): void {
    this.streams.err.write(`${message}\n`);
  }
  close(): void {}
}

/** Not a terminal: a line per ~10 % of each seed's episodes (and per phase), on stderr, so logs stay readable. */
export class PlainReporter implements Reporter {
  #recent = new RecentReturns();
  #rate = new Rate();
  #every = 1;
  /** Environment steps of the seed (sum of episode lengths), the unit the summary uses. */
  #steps = 0;
  #metrics: Record<string, number> | undefined;
  constructor(private readonly streams: Streams) {}
  #line(text: string): void {
    this.streams.err.write(`${text}\n`);
  }
  event(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        this.#every = Math.max(1, Math.round(e.episodesPerSeed / 10));
        this.#line(
          `run ${e.name}: ${e.seeds.length} seed(s) [${e.seeds.join(', ')}] × ${e.episodesPerSeed} episodes, ` +
            `evaluation ${e.evaluationEpisodes} episodes × ${e.policies.length} polic${e.policies.length === 1 ? 'y' : 'ies'} → ${e.runDir}`,
        );
        break;
      case 'seed-started':
        this.#recent.reset();
        this.#steps = 0;
        this.#metrics = undefined;
        this.#line(`seed ${e.seed}: training`);
        break;
      case 'metrics':
        this.#metrics = e.values;
        break;
      case 'started':
        // The pipeline's own start, after the dataset sink opened: steps/s measures training alone.
        this.#rate.reset();
        break;
      case 'episode':
        this.#recent.push(e.return);
        this.#steps += e.length;
        break;
      case 'progress':
        if (e.episode % this.#every === 0 || e.episode === e.totalEpisodes) {
          this.#line(
            `seed ${e.seed}  episode ${e.episode}/${e.totalEpisodes}  ${this.#steps} steps  ` +
              `${this.#rate.perSecond(this.#steps).toFixed(0)} steps/s  return (last 10) ${num(this.#recent.mean)}` +
              (this.#metrics ? `  ${latestMetrics(this.#metrics)}` : ''),
          );
        }
        break;
      case 'evaluated':
        this.#line(
          `seed ${e.seed}  evaluated ${e.policy}: mean return ${num(e.meanReturn)} over ${e.episodes} episodes`,
        );
        break;
      case 'interrupting':
        this.#line(e.reason);
        break;
      default:
        break;
    }
  }
  note(message: string): void {
    this.#line(message);
  }
  close(): void {}
}

/** A terminal: one bar over all training episodes with steps/s, ETA and the recent return; results logged above. */
export class TtyReporter implements Reporter {
  #multi: cliProgress.MultiBar;
  #bar: cliProgress.SingleBar | undefined;
  #recent = new RecentReturns();
  #rate = new Rate();
  #done = 0;
  #perSeed = 0;
  #seedOffset = 0;
  #steps = 0;
  #closed = false;

  constructor(streams: Streams) {
    this.#multi = new cliProgress.MultiBar(
      {
        stream: streams.err as NodeJS.WriteStream,
        format:
          ' {bar} {percentage}% | {value}/{total} episodes | seed {seed} | {sps} steps/s | ETA {eta_formatted} | return {ret}{metrics}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
        clearOnComplete: false,
        // The run command handles Ctrl-C itself (finish the episode, seal the data); the bar must not stop first.
        gracefulExit: false,
        etaBuffer: 50,
        fps: 8,
        // Draw even when the stream says it is not a TTY (tests pass a fake one), once the caller chose bars.
        noTTYOutput: true,
        notTTYSchedule: 250,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  event(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        this.#perSeed = e.episodesPerSeed;
        this.#multi.log(`run ${e.name} → ${e.runDir}\n`);
        this.#bar = this.#multi.create(e.seeds.length * e.episodesPerSeed, 0, {
          seed: e.seeds[0],
          sps: 0,
          ret: '-',
          metrics: '',
        });
        break;
      case 'started':
        this.#rate.reset();
        break;
      case 'seed-started':
        this.#recent.reset();
        this.#steps = 0;
        this.#seedOffset = e.index * this.#perSeed;
        this.#bar?.update(this.#seedOffset, { seed: e.seed });
        break;
      case 'episode':
        this.#recent.push(e.return);
        this.#steps += e.length;
        break;
      case 'progress':
        this.#done = this.#seedOffset + e.episode;
        this.#bar?.update(this.#done, {
          seed: e.seed,
          sps: this.#rate.perSecond(this.#steps).toFixed(0),
          ret: num(this.#recent.mean),
        });
        break;
      case 'metrics':
        this.#bar?.update(this.#done, { metrics: ` | ${latestMetrics(e.values)}` });
        break;
      case 'evaluated':
        this.#multi.log(`seed ${e.seed}  ${e.policy}: mean greedy return ${num(e.meanReturn)} (n=${e.episodes})\n`);
        break;
      case 'interrupting':
        this.#multi.log(`${e.reason}\n`);
        break;
      default:
        break;
    }
  }
  note(message: string): void {
    this.#multi.log(`${message}\n`);
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Log lines wait for the next redraw; draw once more so the last ones (the evaluations) are not lost.
    if (this.#bar) this.#multi.update();
    this.#multi.stop();
  }
}

export function chooseReporter(options: { json: boolean }, streams: Streams): Reporter {
  if (options.json) return new JsonReporter(streams);
  return streams.err.isTTY ? new TtyReporter(streams) : new PlainReporter(streams);
}
