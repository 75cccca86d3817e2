// npm run bench:tactical [-- --smoke]
// Environment steps per second of the tactical mesh (seed 003) for N = 20, 100 and 500 nodes in 5 km × 5 km, each
// node offering 0.2 Mbps (the 4 Mbps of the 20-node default, so larger meshes run saturated, the expensive case).
// Three ways, in the same process: `step()` with per-agent actions and observations (what a learner sees), `stepRaw()`
// with typed next-hop/power/channel arrays (what the baselines use), and, as the peer, core's ToyChannelAccessEnv (a
// trivial multi-agent env: the cost of the ParallelEnv API alone) with min(N, 32) agents. Steps are timed in CPU
// time (process.cpuUsage), so other processes on a shared machine do not distort them.
import { parseArgs } from 'node:util';
import { createRng, ToyChannelAccessEnv, toyChannelAccessConfigSchema } from '@twinforge/core';
import { TacticalMeshEnv } from '@twinforge/plugin-env-tactical-mesh';

const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
const smoke = values.smoke === true;
const sizes = smoke ? [20, 100] : [20, 100, 500];
const budgetMs = smoke ? 150 : 2000;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs `step` until `budgetMs` of CPU time has passed (after `warmup` steps); returns steps per CPU-second. */
function measure(step: () => void, warmup: number): number {
  for (let k = 0; k < warmup; k++) step();
  const t0 = cpuMs();
  let steps = 0;
  while (cpuMs() - t0 < budgetMs) {
    for (let k = 0; k < 5; k++) step();
    steps += 5;
  }
  return (steps / (cpuMs() - t0)) * 1000;
}

function meshEnv(n: number): TacticalMeshEnv {
  const env = new TacticalMeshEnv({ nodes: n, offeredLoad_Mbps: 0.2 * n, horizon: 1_000_000_000 });
  env.reset({ seed: 1 });
  return env;
}

interface Row {
  n: number;
  api: number;
  raw: number;
  toy: number;
  queued: number;
}

const rows: Row[] = [];
for (const n of sizes) {
  const warmup = n >= 500 ? 5 : 30;
  const apiEnv = meshEnv(n);
  const K = apiEnv.config.channels;
  const maxPower = apiEnv.config.powerLevels_dBm.length - 1;
  // Every node forwards to slot 0 (its shortest-path next hop) at maximum power, spread over the channels.
  const actions: Record<string, Int32Array> = {};
  apiEnv.possibleAgents.forEach((a, i) => {
    actions[a] = Int32Array.of(0, maxPower, i % K);
  });
  const api = measure(() => apiEnv.step(actions), warmup);
  const rawEnv = meshEnv(n);
  const s = rawEnv.view;
  const next = new Int32Array(n);
  const power = new Int32Array(n).fill(maxPower);
  const channel = Int32Array.from({ length: n }, (_, i) => i % K);
  const raw = measure(() => {
    for (let i = 0; i < n; i++) next[i] = s.neighbors[i * s.slots] as number;
    rawEnv.stepRaw(next, power, channel);
  }, warmup);
  const agents = Math.min(n, 32);
  const toyEnv = new ToyChannelAccessEnv(
    toyChannelAccessConfigSchema.parse({ agents, channels: 4, horizon: 1_000_000_000 }),
    createRng(1),
  );
  toyEnv.reset({ seed: 1 });
  const toyActions = Object.fromEntries(toyEnv.possibleAgents.map((a, i) => [a, i % 4]));
  const toy = measure(() => toyEnv.step(toyActions), 50);
  rows.push({ n, api, raw, toy, queued: apiEnv.metrics?.queued ?? 0 });
}

console.log('nodes  step() steps/s  stepRaw() steps/s  toy env steps/s (agents)  step()/toy  queued packets');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(5)}  ${Math.round(r.api).toString().padStart(14)}  ${Math.round(r.raw).toString().padStart(17)}  ${`${Math.round(r.toy)} (${Math.min(r.n, 32)})`.padStart(24)}  ${(r.api / r.toy).toFixed(3).padStart(10)}x  ${String(r.queued).padStart(14)}`,
  );
}
const parts = rows.map((r) => `N=${r.n}: ${Math.round(r.api)} steps/s (${(r.api / r.toy).toFixed(3)}x toy)`);
console.log(`bench:tactical tactical-mesh step() per CPU-second ${parts.join(', ')}${smoke ? ' [smoke]' : ''}`);
