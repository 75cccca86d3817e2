// npm run bench:vector-env [-- --smoke]
// Environment steps per second for 1, 64 and 4096 CartPole copies: SyncVectorEnv (struct-of-arrays batching, next-step
// autoreset) against its peer, a hand-written loop over the same envs with manual resets, in the same process.
// The worker-thread vector env is not built yet (issue 4), so it has no row here.
import { createRng } from '@twinforge/core';
import { makeCartPole, SyncVectorEnv } from '@twinforge/rl';

const smoke = process.argv.includes('--smoke');
const sizes = smoke ? [1, 8] : [1, 64, 4096];
const stepsPerEnvTarget = smoke ? 200 : 1_000_000;

interface Row {
  n: number;
  vector: number;
  loop: number;
}

function actionsFor(n: number, steps: number): Int32Array {
  const rng = createRng(7);
  const out = new Int32Array(n * steps);
  for (let i = 0; i < out.length; i++) out[i] = rng.int(0, 1);
  return out;
}

function benchVector(n: number, steps: number, actions: Int32Array): number {
  const venv = new SyncVectorEnv(
    Array.from({ length: n }, () => () => makeCartPole()),
    { autoresetMode: 'next-step' },
  );
  venv.reset({ seed: 1 });
  const batch: number[] = new Array(n).fill(0);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) batch[i] = actions[s * n + i] as number;
    venv.step(batch);
  }
  return (n * steps) / ((performance.now() - t0) / 1000);
}

function benchLoop(n: number, steps: number, actions: Int32Array): number {
  const envs = Array.from({ length: n }, () => makeCartPole());
  for (const [i, e] of envs.entries()) e.reset({ seed: 1 + i });
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      const env = envs[i] as ReturnType<typeof makeCartPole>;
      const r = env.step(actions[s * n + i] as number);
      if (r.terminated || r.truncated) env.reset();
    }
  }
  return (n * steps) / ((performance.now() - t0) / 1000);
}

const rows: Row[] = [];
for (const n of sizes) {
  // About the same total work per size: fewer vector steps for more envs.
  const steps = Math.max(smoke ? 20 : 100, Math.floor(stepsPerEnvTarget / n));
  const actions = actionsFor(n, steps);
  benchLoop(n, Math.min(steps, 50), actions); // warm-up for the JIT
  benchVector(n, Math.min(steps, 50), actions);
  rows.push({ n, loop: benchLoop(n, steps, actions), vector: benchVector(n, steps, actions) });
}

console.log('envs  sync-vector steps/s  plain-loop steps/s  ratio');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(4)}  ${Math.round(r.vector).toString().padStart(19)}  ${Math.round(r.loop).toString().padStart(18)}  ${(r.vector / r.loop).toFixed(2)}x`,
  );
}
const parts = rows.map((r) => `${r.n}: ${Math.round(r.vector)} steps/s (${(r.vector / r.loop).toFixed(2)}x loop)`);
console.log(`bench:vector-env CartPole sync ${parts.join(', ')}${smoke ? ' [smoke]' : ''}`);
