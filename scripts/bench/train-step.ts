// npm run bench:train-step [-- --smoke]
// Milliseconds per Adam step (forward, backward, clip check, update) of a 64-256-256-8 ReLU MLP at batch 256 with
// MSE loss, on every tfjs backend that loads here, and the same step in PyTorch in the same run when python3 can
// import torch. Also a DQN-sized net (4-64-64-2, batch 64) to say which backend suits tiny nets.
// The last line is the summary with the ratio (best tfjs backend vs PyTorch, or cpu vs wasm without torch).
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createRng, silentLogger } from '@twinforge/core';
import { Adam, BACKEND_IDS, type BackendId, createMlp, mseLoss, selectBackend, tf } from '@twinforge/tensor';

const smoke = process.argv.includes('--smoke');

interface Case {
  readonly label: string;
  readonly sizes: readonly number[];
  readonly batch: number;
}
const BIG: Case = { label: '64-256-256-8 batch 256', sizes: [64, 256, 256, 8], batch: 256 };
const TINY: Case = { label: '4-64-64-2 batch 64', sizes: [4, 64, 64, 2], batch: 64 };

/** Timed steps per case and backend: enough for a stable mean, bounded in wall time. */
function stepsFor(c: Case, backend: string): { warmup: number; timed: number } {
  if (smoke) return { warmup: 1, timed: 1 };
  const heavy = c === BIG;
  if (backend === 'cpu') return { warmup: 3, timed: heavy ? 15 : 200 };
  return { warmup: 5, timed: heavy ? 60 : 500 };
}

interface Measure {
  /** Wall-clock ms per step: the headline figure. */
  readonly msPerStep: number;
  /** Process CPU ms per step: close to msPerStep on a quiet machine, lower when other work shares the cores. */
  readonly cpuMsPerStep: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
}

function benchTfjs(c: Case, backend: string): Measure {
  const rng = createRng(1);
  const net = createMlp({ sizes: [...c.sizes] }, rng.split('net'));
  const opt = new Adam(net, { lr: 3e-4 });
  const input = c.sizes[0] as number;
  const output = c.sizes[c.sizes.length - 1] as number;
  const x = tf.tensor2d(rng.split('x').fillNormal(new Float32Array(c.batch * input)), [c.batch, input]);
  const y = tf.tensor2d(rng.split('y').fillNormal(new Float32Array(c.batch * output)), [c.batch, output]);
  const { warmup, timed } = stepsFor(c, backend);
  const step = () => opt.minimize(() => mseLoss(net.apply(x), y)).loss;
  const firstLoss = step();
  for (let i = 1; i < warmup; i++) step();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let lastLoss = firstLoss;
  for (let i = 0; i < timed; i++) lastLoss = step();
  const msPerStep = (performance.now() - t0) / timed;
  const cpu = process.cpuUsage(c0);
  const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / timed;
  tf.dispose([x, y]);
  opt.dispose();
  net.dispose();
  return { msPerStep, cpuMsPerStep, firstLoss, lastLoss };
}

/** The same steps in PyTorch (default thread count), in a child python3; undefined when torch is absent. */
interface TorchResult {
  readonly big: number;
  readonly bigCpu: number;
  readonly tiny: number;
  readonly tinyCpu: number;
  readonly version: string;
  readonly threads: number;
  readonly python: string;
}

function benchTorch(): TorchResult | undefined {
  const script = `
import json, sys, time, torch
torch.manual_seed(1)
def bench(sizes, batch, warmup, timed):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    x = torch.randn(batch, sizes[0])
    y = torch.randn(batch, sizes[-1])
    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        total = torch.norm(torch.stack([p.grad.norm() for p in net.parameters()]))
        stats = torch.stack([loss.detach(), total]).tolist()  # the same one host read per step as twinforge
        opt.step()
        return stats
    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(timed):
        step()
    return (time.perf_counter() - t0) * 1000 / timed, (time.process_time() - c0) * 1000 / timed
s = ${smoke ? 'True' : 'False'}
big = bench([64, 256, 256, 8], 256, 1 if s else 10, 2 if s else 200)
tiny = bench([4, 64, 64, 2], 64, 1 if s else 10, 2 if s else 1000)
print(json.dumps({"big": big[0], "bigCpu": big[1], "tiny": tiny[0], "tinyCpu": tiny[1],
                  "version": torch.__version__, "threads": torch.get_num_threads()}))
`;
  // pyenv shims may shadow the system python that Debian's python3-torch installs into, so try both.
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const res = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 600_000 });
    if (res.status !== 0) throw new Error(`PyTorch benchmark failed: ${res.stderr}`);
    const lines = res.stdout.trim().split('\n');
    return { ...JSON.parse(lines[lines.length - 1] as string), python };
  }
  return undefined;
}

const rows: { backend: BackendId; big: Measure; tiny: Measure }[] = [];
const absent: string[] = [];
for (const id of BACKEND_IDS) {
  try {
    await selectBackend({ backend: id, logger: silentLogger });
  } catch {
    absent.push(id);
    continue;
  }
  rows.push({ backend: id, big: benchTfjs(BIG, id), tiny: benchTfjs(TINY, id) });
}
const torch = benchTorch();

const fmt = (ms: number) => (ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const cell = (wall: number, cpu: number) => `${fmt(wall)} (cpu ${fmt(cpu)})`;
const load = loadavg()[0] ?? 0;
console.log(
  `Adam step (forward + backward + clip check + update), wall ms per step (process cpu ms), ${
    smoke ? 'smoke run' : 'mean of timed steps'
  }; load average ${load.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(`${'backend'.padEnd(24)}${BIG.label.padStart(28)}${TINY.label.padStart(28)}`);
for (const r of rows) {
  console.log(
    `${`tfjs ${r.backend}`.padEnd(24)}${cell(r.big.msPerStep, r.big.cpuMsPerStep).padStart(28)}${cell(
      r.tiny.msPerStep,
      r.tiny.cpuMsPerStep,
    ).padStart(28)}`,
  );
}
if (torch !== undefined) {
  console.log(
    `${`torch ${torch.version} ${torch.threads}t`.padEnd(24)}${cell(torch.big, torch.bigCpu).padStart(28)}${cell(
      torch.tiny,
      torch.tinyCpu,
    ).padStart(28)}`,
  );
} else {
  console.log(
    'torch: absent (python3 cannot import torch; on Debian: apt-get install python3-torch libopenblas0-pthread)',
  );
}
if (absent.length > 0) console.log(`not installed: ${absent.map((a) => `tfjs ${a}`).join(', ')}`);

for (const r of rows) {
  // Sanity: the step really trains (loss falls on a fixed batch), on every backend.
  if (!smoke && !(r.big.lastLoss < r.big.firstLoss)) {
    console.error(`${r.backend}: loss did not fall (${r.big.firstLoss} → ${r.big.lastLoss})`);
    process.exitCode = 1;
  }
}
const tinyBest = [...rows].sort((a, b) => a.tiny.msPerStep - b.tiny.msPerStep)[0];
if (tinyBest !== undefined) {
  console.log(
    `tiny nets (${TINY.label}): fastest tfjs backend here is ${tinyBest.backend} (${rows
      .map((r) => `${r.backend} ${fmt(r.tiny.msPerStep)} ms`)
      .join(', ')}${torch === undefined ? '' : `; torch ${fmt(torch.tiny)} ms`})`,
  );
}

const best = [...rows].sort((a, b) => a.big.msPerStep - b.big.msPerStep)[0];
if (best === undefined) throw new Error('no tfjs backend could be initialised');
const figures = rows.map((r) => `${r.backend} ${fmt(r.big.msPerStep)} ms`).join(', ');
const cpu = rows.find((r) => r.backend === 'cpu');
const wasm = rows.find((r) => r.backend === 'wasm');
const ratio =
  torch !== undefined
    ? `torch ${fmt(torch.big)} ms, ratio ${(best.big.msPerStep / torch.big).toFixed(2)}x ${best.backend}/torch (cpu time ${(
        best.big.cpuMsPerStep / torch.bigCpu
      ).toFixed(2)}x)`
    : `torch absent, ratio ${
        cpu !== undefined && wasm !== undefined ? (cpu.big.msPerStep / wasm.big.msPerStep).toFixed(2) : 'n/a'
      }x cpu/wasm`;
console.log(`bench:train-step ${BIG.label}: ${figures}, ${ratio}`);
