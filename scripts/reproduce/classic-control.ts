// npm run reproduce:classic-control [-- --smoke] [--seeds 1,2,3] [--only dqn|td3] [--full] [--max-steps N]
//   [--backend-dqn wasm|cpu] [--backend-td3 wasm|cpu] [--out runs/reproduce/classic-control]
// Issue 4's validation of the reference learners: DQN (@twinforge/plugin-learner-dqn) on CartPole-v1 must reach a
// mean greedy return ≥ 450 within 50k env steps, and TD3 (@twinforge/plugin-learner-td3) on Pendulum-v1 ≥ −200
// within 20k steps, each on every seed. Both train through @twinforge/rl's trainLoop; every `evalEvery` steps the
// greedy policy plays `evalEpisodes` episodes (seeds 10 000 + i, all episodes stepped side by side so the network
// runs one batched forward pass per step). A seed stops once it meets its target (`--full` trains to the budget).
// Prints the learning curves (eval mean return vs steps, one column per seed), wall and CPU time and seconds per 1k
// steps, writes curves.csv and summary.csv, and exits 1 when a seed misses its target (--smoke: tiny budgets, reports
// without enforcing).
//
// Hyper-parameters: DQN uses the plugin's defaults, rl-baselines3-zoo's tuned CartPole-v1 (net [256, 256],
// lr 2.3e-3, train_freq 256 / gradient_steps 128, target every 10 steps, ε 1 → 0.04 over 8000 steps, ...), with
// double DQN on. TD3 uses rl-zoo's tuned Pendulum-v1 (γ 0.98, lr 1e-3, σ 0.1, ...) except two changes for this 2-core
// machine: net [64, 64] instead of [400, 300] (about 28x fewer multiply-adds per update) and
// learning_starts 1000 instead of 10 000 (the smaller nets learn from fewer samples; a seed that is done early stops).
// Evaluation every 1000 steps for both (10 greedy episodes): DQN with these settings oscillates between ~20 and 500
// from one round of 128 gradient steps to the next (see the curves), so a sparser schedule can step over the peaks.
// Backend: tfjs wasm for both. Measured with `--only dqn --seeds 1 --max-steps 3000` / `--only td3 --max-steps 2000`
// (process CPU time, which shared-machine load distorts least): DQN [256, 256] 4.1 s CPU per 1k steps on wasm vs
// 63.5 on cpu (15x); TD3 [64, 64] 6.6 vs 61.4 (9x). Training stays within one process, one backend per learner.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CoreEnv, createRng, silentLogger } from '@twinforge/core';
import { DqnAgent, type DqnConfig } from '@twinforge/plugin-learner-dqn';
import { Td3Agent, type Td3Config } from '@twinforge/plugin-learner-td3';
import { type LoopAgent, makeCartPole, makePendulum, trainLoop } from '@twinforge/rl';
import { initTensorBackend } from '@twinforge/tensor';
import { defaultIfEmpty, lastValueFrom, takeWhile, tap } from 'rxjs';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    seeds: { type: 'string' },
    only: { type: 'string' },
    'backend-dqn': { type: 'string', default: 'wasm' },
    'backend-td3': { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'runs/reproduce/classic-control' },
    /** Caps every budget (for timing a backend: `--only dqn --max-steps 5000 --backend-dqn cpu`). */
    'max-steps': { type: 'string' },
    /** JSON merged over each learner's config, e.g. --dqn-config '{"double":false}'. */
    'dqn-config': { type: 'string' },
    'td3-config': { type: 'string' },
    'eval-every': { type: 'string' },
  },
});
const smoke = values.smoke === true;
const seeds = (values.seeds ?? (smoke ? '1' : '1,2,3')).split(',').map(Number);
const outDir = resolve(values.out as string);
const EVAL_SEED = 10_000;
const maxSteps = values['max-steps'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-steps']);

/** What the loop needs from a learner, whatever its action type. */
interface Trainee<A> {
  loop: LoopAgent<ArrayLike<number>, A>;
  /** Greedy actions for a batch [n, obsDim] in one forward pass; returns the i-th row's action. */
  actBatch(obs: Float32Array, n: number): (i: number) => A;
  updates(): number;
  dispose(): void;
}

interface Task<A> {
  id: 'dqn' | 'td3';
  title: string;
  backend: string;
  makeEnv(): CoreEnv<Float32Array, A>;
  obsDim: number;
  /** Mean greedy return to reach, and the env-step budget to reach it in. */
  target: number;
  budget: number;
  evalEvery: number;
  evalEpisodes: number;
  create(seed: number): Trainee<A>;
}

const DQN: DqnConfig = {
  ...(smoke
    ? { hiddenSizes: [32, 32], learningStarts: 300, trainFreq: 4, gradientSteps: 2, explorationSteps: 800 }
    : {}),
  ...JSON.parse(values['dqn-config'] ?? '{}'),
};
const TD3: Td3Config = {
  ...(smoke
    ? { hiddenSizes: [32, 32], learningStarts: 300, batchSize: 64 }
    : { hiddenSizes: [64, 64], learningStarts: 1000 }),
  ...JSON.parse(values['td3-config'] ?? '{}'),
};
const evalEvery = values['eval-every'] === undefined ? undefined : Number(values['eval-every']);

const tasks: Task<unknown>[] = [
  {
    id: 'dqn',
    title: 'DQN on CartPole-v1',
    backend: values['backend-dqn'] as string,
    makeEnv: makeCartPole,
    obsDim: 4,
    target: 450,
    budget: Math.min(maxSteps, smoke ? 1500 : 50_000),
    evalEvery: evalEvery ?? (smoke ? 500 : 1000),
    evalEpisodes: smoke ? 3 : 10,
    create(seed) {
      const agent = new DqnAgent({ obsDim: 4, nActions: 2, config: DQN }, createRng(seed));
      return {
        loop: agent.asLoopAgent(),
        actBatch: (obs) => {
          const a = agent.greedyActions(obs);
          return (i) => a[i] as number;
        },
        updates: () => agent.updates,
        dispose: () => agent.dispose(),
      };
    },
  } satisfies Task<number>,
  {
    id: 'td3',
    title: 'TD3 on Pendulum-v1',
    backend: values['backend-td3'] as string,
    makeEnv: makePendulum,
    obsDim: 3,
    target: -200,
    budget: Math.min(maxSteps, smoke ? 800 : 20_000),
    evalEvery: evalEvery ?? (smoke ? 400 : 1000),
    evalEpisodes: smoke ? 3 : 10,
    create(seed) {
      const agent = new Td3Agent({ obsDim: 3, low: [-2], high: [2], config: TD3 }, createRng(seed));
      return {
        loop: agent.asLoopAgent(),
        actBatch: (obs) => {
          const a = agent.greedyActions(obs);
          return (i) => a.subarray(i, i + 1);
        },
        updates: () => agent.updates,
        dispose: () => agent.dispose(),
      };
    },
  } satisfies Task<Float32Array>,
].filter((t) => values.only === undefined || t.id === values.only) as Task<unknown>[];

interface EvalPoint {
  step: number;
  mean: number;
  std: number;
  wallS: number;
}

interface SeedRun {
  seed: number;
  curve: EvalPoint[];
  /** First eval step at which the target was met, if any. */
  reachedAt: number | undefined;
  steps: number;
  updates: number;
  wallS: number;
  cpuS: number;
}

/** Plays `episodes` greedy episodes side by side: one batched forward pass per step for all live episodes. */
function evaluate<A>(task: Task<A>, trainee: Trainee<A>): { mean: number; std: number } {
  const envs = Array.from({ length: task.evalEpisodes }, () => task.makeEnv());
  const obs = envs.map((env, i) => env.reset({ seed: EVAL_SEED + i }).observation);
  const returns = new Float64Array(envs.length);
  let live = envs.map((_, i) => i);
  const batch = new Float32Array(envs.length * task.obsDim);
  while (live.length > 0) {
    live.forEach((e, row) => {
      batch.set(obs[e] as Float32Array, row * task.obsDim);
    });
    const act = trainee.actBatch(batch.subarray(0, live.length * task.obsDim), live.length);
    live = live.filter((e, row) => {
      const r = (envs[e] as CoreEnv<Float32Array, A>).step(act(row));
      returns[e] = (returns[e] as number) + r.reward;
      obs[e] = r.observation;
      return !(r.terminated || r.truncated);
    });
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { mean, std };
}

async function runSeed<A>(task: Task<A>, seed: number): Promise<SeedRun> {
  const trainee = task.create(seed);
  const curve: EvalPoint[] = [];
  let reachedAt: number | undefined;
  let steps = 0;
  let stop = false;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await lastValueFrom(
    trainLoop({
      env: task.makeEnv(),
      agent: trainee.loop,
      totalSteps: task.budget,
      seed,
      progressEvery: task.evalEvery,
    }).pipe(
      tap((e) => {
        steps = e.step;
        if (e.kind !== 'progress') return;
        const { mean, std } = evaluate(task, trainee);
        curve.push({ step: e.step, mean, std, wallS: (performance.now() - t0) / 1000 });
        if (reachedAt === undefined && mean >= task.target) {
          reachedAt = e.step;
          stop = !values.full;
        }
      }),
      takeWhile(() => !stop),
      defaultIfEmpty(undefined),
    ),
  );
  const cpu = process.cpuUsage(c0);
  const run = {
    seed,
    curve,
    reachedAt,
    steps,
    updates: trainee.updates(),
    wallS: (performance.now() - t0) / 1000,
    cpuS: (cpu.user + cpu.system) / 1e6,
  };
  trainee.dispose();
  return run;
}

function curveTable(task: Task<unknown>, runs: SeedRun[]): string {
  const steps = [...new Set(runs.flatMap((r) => r.curve.map((p) => p.step)))].sort((a, b) => a - b);
  const head = ['steps', ...runs.map((r) => `seed ${r.seed}`)];
  const rows = steps.map((s) => [
    s >= 1000 ? `${s / 1000}k` : String(s),
    ...runs.map((r) => {
      const p = r.curve.find((q) => q.step === s);
      return p === undefined ? '' : `${p.mean.toFixed(1)}${r.reachedAt === s ? ' *' : ''}`;
    }),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  const timing = runs.map(
    (r) =>
      `  seed ${r.seed}: ${r.steps} steps, ${r.updates} gradient steps, wall ${r.wallS.toFixed(0)} s, CPU ${r.cpuS.toFixed(0)} s, ${((1000 * r.wallS) / Math.max(1, r.steps)).toFixed(2)} s wall / ${((1000 * r.cpuS) / Math.max(1, r.steps)).toFixed(2)} s CPU per 1k steps`,
  );
  return [
    `${task.title} (backend ${task.backend}): mean greedy return of ${task.evalEpisodes} episodes every ${task.evalEvery} steps; target ≥ ${task.target} within ${task.budget} steps (* = reached)`,
    fmt(head),
    ...rows.map(fmt),
    ...timing,
  ].join('\n');
}

const start = performance.now();
console.log(
  `reproduce:classic-control ${smoke ? '(smoke) ' : ''}seeds ${seeds.join(',')}, load average ${loadavg()[0]?.toFixed(1)} on this machine`,
);
mkdirSync(outDir, { recursive: true });
const curveCsv = ['learner,seed,step,mean_return,std_return,wall_s'];
const summaryCsv = ['learner,seed,target,budget,reached_step,final_step,final_mean_return,updates,wall_s,cpu_s'];
const verdicts: string[] = [];
let missed = 0;
for (const task of tasks) {
  const info = await initTensorBackend({ backend: task.backend, logger: silentLogger });
  task.backend = info.id;
  const runs: SeedRun[] = [];
  for (const seed of seeds) {
    const run = await runSeed(task, seed);
    runs.push(run);
    // progress on stderr, so a long run shows life while stdout keeps only the tables and the summary
    process.stderr.write(
      `${task.id} seed ${seed}: ${run.reachedAt === undefined ? 'target missed' : `target met at ${run.reachedAt} steps`}, ${run.steps} steps in ${run.wallS.toFixed(0)} s\n`,
    );
    for (const p of run.curve) {
      curveCsv.push([task.id, seed, p.step, p.mean.toFixed(3), p.std.toFixed(3), p.wallS.toFixed(2)].join(','));
    }
    const last = run.curve.at(-1);
    summaryCsv.push(
      [
        task.id,
        seed,
        task.target,
        task.budget,
        run.reachedAt ?? '',
        run.steps,
        last?.mean.toFixed(3) ?? '',
        run.updates,
        run.wallS.toFixed(1),
        run.cpuS.toFixed(1),
      ].join(','),
    );
  }
  console.log(`\n${curveTable(task, runs)}`);
  const ok = runs.filter((r) => r.reachedAt !== undefined);
  if (!smoke) missed += runs.length - ok.length;
  const reached = runs.map((r) => (r.reachedAt === undefined ? 'missed' : `${r.reachedAt / 1000}k`)).join(', ');
  const perK = runs.reduce((a, r) => a + (1000 * r.wallS) / Math.max(1, r.steps), 0) / runs.length;
  verdicts.push(
    `${task.id.toUpperCase()} ≥ ${task.target}: ${ok.length}/${runs.length} seeds (steps: ${reached}; ${perK.toFixed(2)} s/1k steps)`,
  );
}
writeFileSync(join(outDir, 'curves.csv'), `${curveCsv.join('\n')}\n`);
writeFileSync(join(outDir, 'summary.csv'), `${summaryCsv.join('\n')}\n`);
const wall = (performance.now() - start) / 1000;
console.log(`\nwrote ${join(outDir, 'curves.csv')} and summary.csv`);
console.log(
  `reproduce:classic-control ${smoke ? 'smoke (targets not enforced): ' : ''}${verdicts.join('; ')}; wall ${wall.toFixed(0)} s${
    missed > 0 ? ` — ${missed} seed(s) MISSED` : ''
  }`,
);
process.exitCode = missed > 0 ? 1 : 0;
