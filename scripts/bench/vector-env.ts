// npm run bench:vector-env [-- --smoke]
// Environment steps per second for 1, 64 and 4096 CartPole copies, three ways in the same process: a hand-written
// loop over the envs with manual resets (the peer), SyncVectorEnv (struct-of-arrays, one tight loop) and
// AsyncVectorEnv (the same loop split over min(envs, cores) worker threads, SharedArrayBuffer rows, one
// Atomics.wait/notify barrier per step). Then a "busy" CartPole, the same dynamics plus a fixed amount of
// arithmetic per step standing in for an expensive simulator, shows where workers start to pay. Last, the bare cost
// of one command round trip to a worker, Atomics.wait/notify against postMessage, the choice AsyncVectorEnv makes.
// All envs use next-step autoreset; actions are uniform random, drawn before timing.
//
// This file is also the module the workers import the busy CartPole from (`makeBusyCartPole`): the measurement
// runs only on the main thread.
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import { createRng, type StepResult } from '@twinforge/core';
import { AsyncVectorEnv, type Env, makeCartPole, SyncVectorEnv, Wrapper } from '@twinforge/rl';

/** CartPole-v1 plus `iterations` of square roots per step: a stand-in for an env whose step costs real compute. */
export function makeBusyCartPole(iterations: number): Env<Float32Array, number> {
  return new BusyCartPole(iterations);
}

class BusyCartPole extends Wrapper<Float32Array, number> {
  /** Keeps the work observable so the JIT cannot drop it. */
  sink = 0;

  constructor(readonly iterations: number) {
    super(makeCartPole());
  }

  override step(action: number): StepResult<Float32Array> {
    let acc = 0;
    for (let k = 1; k <= this.iterations; k++) acc += Math.sqrt(k + action);
    this.sink += acc;
    return super.step(action);
  }
}

interface Case {
  label: string;
  n: number;
  make: () => Env<Float32Array, number>;
  spec: { module: string | URL; export: string; config?: unknown };
}

interface Row {
  label: string;
  n: number;
  workers: number;
  loop: number;
  sync: number;
  async: number;
}

const smoke = process.argv.includes('--smoke');
/** Measured time per figure; each is preceded by a warm-up of a fifth of it. */
const MIN_MS = smoke ? 60 : 1500;
const BUSY_ITERATIONS = smoke ? 200 : 2000;
const ACTION_STEPS = 256;

function randomActions(n: number): number[][] {
  const rng = createRng(7);
  return Array.from({ length: ACTION_STEPS }, () => Array.from({ length: n }, () => rng.int(0, 1)));
}

/** Calls `stepOnce(t)` for t = 0, 1, ... until `ms` have passed; returns env steps per second. */
function timeSteps(n: number, ms: number, stepOnce: (t: number) => void): number {
  const chunk = Math.max(1, Math.floor(2048 / n));
  let t = 0;
  let elapsed = 0;
  const t0 = performance.now();
  do {
    for (let k = 0; k < chunk; k++) stepOnce(t++);
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return (t * n) / (elapsed / 1000);
}

function warmAndTime(n: number, stepOnce: (t: number) => void): number {
  timeSteps(n, MIN_MS / 5, stepOnce);
  return timeSteps(n, MIN_MS, stepOnce);
}

function benchLoop(c: Case, actions: number[][]): number {
  const envs = Array.from({ length: c.n }, () => c.make());
  for (const [i, e] of envs.entries()) e.reset({ seed: 1 + i });
  return warmAndTime(c.n, (t) => {
    const row = actions[t % ACTION_STEPS] as number[];
    for (let i = 0; i < envs.length; i++) {
      const env = envs[i] as Env<Float32Array, number>;
      const r = env.step(row[i] as number);
      if (r.terminated || r.truncated) env.reset();
    }
  });
}

function benchSync(c: Case, actions: number[][]): number {
  const venv = new SyncVectorEnv(
    Array.from({ length: c.n }, () => c.make),
    { autoresetMode: 'next-step' },
  );
  venv.reset({ seed: 1 });
  return warmAndTime(c.n, (t) => venv.step(actions[t % ACTION_STEPS] as number[]));
}

async function benchAsync(c: Case, actions: number[][]): Promise<{ rate: number; workers: number }> {
  const venv = await AsyncVectorEnv.create<Float32Array, number>(
    Array.from({ length: c.n }, () => c.spec),
    { autoresetMode: 'next-step' },
  );
  try {
    venv.reset({ seed: 1 });
    return {
      rate: warmAndTime(c.n, (t) => venv.step(actions[t % ACTION_STEPS] as number[])),
      workers: venv.numWorkers,
    };
  } finally {
    await venv.close();
  }
}

/**
 * Mean time for main to hand one empty command to a worker and learn it is done: through a shared Int32Array with
 * Atomics.wait/notify (main blocks, as AsyncVectorEnv does), and with postMessage both ways (main awaits the reply).
 */
async function roundTrips(count: number): Promise<{ atomics: number; message: number }> {
  const shared = new SharedArrayBuffer(8);
  const atomicsWorker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const c = new Int32Array(workerData);
     for (let seq = 0; ; ) {
       while (Atomics.load(c, 0) === seq) Atomics.wait(c, 0, seq);
       seq = Atomics.load(c, 0);
       if (seq < 0) break;
       Atomics.store(c, 1, seq);
       Atomics.notify(c, 1);
     }`,
    { eval: true, workerData: shared },
  );
  const messageWorker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => (m < 0 ? parentPort.close() : parentPort.postMessage(m)));`,
    { eval: true },
  );
  try {
    const c = new Int32Array(shared);
    const atomicsOnce = (seq: number) => {
      Atomics.store(c, 0, seq);
      Atomics.notify(c, 0);
      for (let v = Atomics.load(c, 1); v !== seq; v = Atomics.load(c, 1)) Atomics.wait(c, 1, v);
    };
    const messageOnce = (seq: number) =>
      new Promise<void>((resolve) => {
        messageWorker.once('message', () => resolve());
        messageWorker.postMessage(seq);
      });
    for (let i = 1; i <= count / 5; i++) atomicsOnce(i);
    let t0 = performance.now();
    for (let i = 1; i <= count; i++) atomicsOnce(count + i);
    const atomics = ((performance.now() - t0) * 1000) / count;
    for (let i = 1; i <= count / 5; i++) await messageOnce(i);
    t0 = performance.now();
    for (let i = 1; i <= count; i++) await messageOnce(i);
    const message = ((performance.now() - t0) * 1000) / count;
    Atomics.store(c, 0, -1); // stop: the worker leaves its loop without answering
    Atomics.notify(c, 0);
    messageWorker.postMessage(-1);
    return { atomics, message };
  } finally {
    await Promise.all([atomicsWorker.terminate(), messageWorker.terminate()]);
  }
}

function fmt(rate: number): string {
  return Math.round(rate).toString();
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const sizes = smoke ? [1, 8] : [1, 64, 4096];
  const busyN = smoke ? 8 : 64;
  const cases: Case[] = [
    ...sizes.map((n) => ({
      label: 'CartPole',
      n,
      make: () => makeCartPole(),
      spec: { module: '@twinforge/rl', export: 'makeCartPole' },
    })),
    {
      label: 'busy CartPole',
      n: busyN,
      make: () => makeBusyCartPole(BUSY_ITERATIONS),
      spec: { module: new URL(import.meta.url), export: 'makeBusyCartPole', config: BUSY_ITERATIONS },
    },
  ];
  console.log(
    `bench:vector-env: ${cores} cores, 1-min load average ${loadavg()[0]?.toFixed(1)} (other processes share the cores)`,
  );
  const rows: Row[] = [];
  for (const c of cases) {
    const actions = randomActions(c.n);
    const loop = benchLoop(c, actions);
    const sync = benchSync(c, actions);
    const { rate, workers } = await benchAsync(c, actions);
    rows.push({ label: c.label, n: c.n, workers, loop, sync, async: rate });
  }
  const busyStepUs = 1e6 / (rows.at(-1)?.loop ?? 1);

  console.log('env            envs  workers  plain-loop steps/s  sync steps/s  async steps/s  sync/loop  async/sync');
  for (const r of rows) {
    console.log(
      `${r.label.padEnd(13)}  ${String(r.n).padStart(4)}  ${String(r.workers).padStart(7)}  ${fmt(r.loop).padStart(18)}` +
        `  ${fmt(r.sync).padStart(12)}  ${fmt(r.async).padStart(13)}  ${(r.sync / r.loop).toFixed(2).padStart(8)}x` +
        `  ${(r.async / r.sync).toFixed(2).padStart(9)}x`,
    );
  }
  console.log(`(busy CartPole: ${BUSY_ITERATIONS} square roots per step, ${busyStepUs.toFixed(1)} µs per env step)`);

  const trips = await roundTrips(smoke ? 200 : 20_000);
  console.log(
    `command round trip to one worker: Atomics.wait/notify ${trips.atomics.toFixed(1)} µs, ` +
      `postMessage ${trips.message.toFixed(1)} µs (${(trips.message / trips.atomics).toFixed(1)}x)`,
  );

  const parts = rows.map(
    (r) =>
      `${r.label === 'CartPole' ? '' : 'busy '}${r.n}: ${fmt(r.sync)}/${fmt(r.async)} (${(r.async / r.sync).toFixed(2)}x)`,
  );
  console.log(
    `bench:vector-env CartPole steps/s sync/async: ${parts.join(', ')}; round trip Atomics ` +
      `${trips.atomics.toFixed(1)} µs vs postMessage ${trips.message.toFixed(1)} µs${smoke ? ' [smoke]' : ''}`,
  );
}

if (isMainThread) await main();
