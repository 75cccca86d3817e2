import { describe, expect, it } from 'vitest';
import { JsonReporter, PlainReporter, TtyReporter } from '../src/index.js';
import type { RunEvent } from '../src/run/events.js';

function sink(isTTY: boolean) {
  let text = '';
  const stream = {
    isTTY,
    columns: 120,
    rows: 40,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/** Two seeds of four one-step episodes with returns 1, 2, 3, 4, then evaluations. */
function events(): RunEvent[] {
  const out: RunEvent[] = [
    {
      type: 'run-started',
      runDir: '/r',
      name: 'demo',
      seeds: [1, 2],
      episodesPerSeed: 4,
      evaluationEpisodes: 2,
      policies: ['a', 'b'],
    },
  ];
  for (const [index, seed] of [1, 2].entries()) {
    out.push({ type: 'seed-started', seed, index });
    out.push({ type: 'started', seed, runId: 'x', environment: 'e', generator: 'g', learner: 'l' });
    for (let episode = 0; episode < 4; episode++) {
      out.push({ type: 'episode', seed, episode, scenarioId: 's', return: episode + 1, length: 10 });
      out.push({ type: 'metrics', seed, step: 10 * (episode + 1), values: { loss: 1 / (episode + 1), epsilon: 0.5 } });
      out.push({ type: 'progress', seed, episode: episode + 1, totalEpisodes: 4, steps: 10 * (episode + 1) });
    }
    out.push({ type: 'evaluated', seed, policy: 'a', kind: 'learner', episodes: 2, meanReturn: 5, std: 0, ci95: 0 });
  }
  return out;
}

describe('progress reporters', () => {
  it('--json: one parseable JSON object per event on stdout, nothing else', () => {
    const out = sink(false);
    const err = sink(false);
    const r = new JsonReporter({ out: out.stream, err: err.stream });
    for (const e of events()) r.event(e);
    r.close();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(events().length);
    expect(lines.map((l) => (JSON.parse(l) as RunEvent).type)).toEqual(events().map((e) => e.type));
    expect(err.text()).toBe('');
  });

  it('plain lines: the run, each seed, progress with steps, rate and recent return, and each evaluation', () => {
    const err = sink(false);
    const r = new PlainReporter({ out: sink(false).stream, err: err.stream });
    for (const e of events()) r.event(e);
    const lines = err.text().trim().split('\n');
    expect(lines[0]).toBe('run demo: 2 seed(s) [1, 2] × 4 episodes, evaluation 2 episodes × 2 policies → /r');
    expect(lines).toContain('seed 1: training');
    expect(lines.find((l) => l.startsWith('seed 2  episode 4/4'))).toMatch(
      /^seed 2 {2}episode 4\/4 {2}40 steps {2}\d+ steps\/s {2}return \(last 10\) 2\.500 {2}loss 0\.250 epsilon 0\.500$/,
    );
    expect(lines.at(-1)).toBe('seed 2  evaluated a: mean return 5.000 over 2 episodes');
    // No cursor movement or bars in logs.
    expect(err.text().includes(String.fromCharCode(27))).toBe(false);
  });

  it('on a terminal: a bar over all episodes with steps/s, ETA and the recent return', () => {
    const err = sink(true);
    const r = new TtyReporter({ out: sink(true).stream, err: err.stream });
    for (const e of events()) r.event(e);
    r.close();
    const text = err.text();
    expect(text).toContain('run demo → /r');
    expect(text).toMatch(
      /100% \| 8\/8 episodes \| seed 2 \| \d+ steps\/s \| ETA \d+s \| return 2\.500 \| loss 0\.250 epsilon 0\.500/,
    );
    expect(text).toContain('seed 1  a: mean greedy return 5.000 (n=2)');
  });
});
