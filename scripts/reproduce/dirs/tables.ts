// Printing and CSV for reproduce:dirs: the Table V, Table II and Table III analogues.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalResult, ImitationResult, Method, MethodStats } from './jobs.js';

export interface Table5Summary {
  readonly nrr: number;
  readonly ofOptimum: number;
  /** Mean PSO decision time over mean DIRS decision time (DIRS sequential / with agents in parallel). */
  readonly speedup: number;
  readonly distributedSpeedup: number;
  readonly draws: number;
}

const LABELS: Record<Method, string> = {
  dirs: 'DIRS',
  pso: 'PSO',
  psoJoint: 'PSO x=[a,f,p]',
  de: 'DE',
  greedy: 'greedy',
  remote: 'Remote',
  random: 'Random',
  local: 'Local',
  exact: 'optimum',
};

/** Draw-weighted mean of a per-run statistic. */
function pooled(runs: readonly EvalResult[], m: Method, key: keyof MethodStats): number {
  let w = 0;
  let s = 0;
  for (const r of runs) {
    const st = r.methods[m];
    if (st.draws === 0) continue;
    w += st.draws;
    s += st.draws * (st[key] as number);
  }
  return w === 0 ? Number.NaN : s / w;
}

const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const pad = (s: string, n: number) => s.padStart(n);

export function table5(runs: readonly EvalResult[], outDir: string): Table5Summary {
  const csv = ['method,training_s,decision_ms,time_per_device_s,energy_per_device_J,phi,nrr_vs_pso,of_optimum,draws'];
  const first = runs[0];
  const draws = runs.reduce((a, r) => a + r.methods.dirs.draws, 0);
  const trainS = runs.reduce((a, r) => a + r.trainingSeconds, 0) / Math.max(1, runs.length);
  console.log(
    `\nTable V (${first?.job.scenario}, ${runs.length} seeds × ${first?.job.draws} held-out draws; DE and PSO x=[a,f,p] on ${first?.job.deDraws} per seed)`,
  );
  console.log(
    `${'method'.padEnd(14)} ${pad('train s', 8)} ${pad('decide ms', 10)} ${pad('T/dev s', 8)} ${pad('E/dev J', 8)} ${pad('Φ', 8)} ${pad('NRR', 7)} ${pad('of opt', 7)}`,
  );
  for (const m of ['dirs', 'pso', 'psoJoint', 'de', 'greedy', 'remote', 'random', 'local', 'exact'] as const) {
    const ms = pooled(runs, m, 'decisionMs');
    const row = {
      train: m === 'dirs' ? trainS : Number.NaN,
      ms,
      t: pooled(runs, m, 'timePerDevice'),
      e: pooled(runs, m, 'energyPerDevice'),
      phi: pooled(runs, m, 'phi'),
      nrr: pooled(runs, m, 'nrr'),
      opt: pooled(runs, m, 'ofOptimum'),
    };
    console.log(
      `${LABELS[m].padEnd(14)} ${pad(f(row.train, 1), 8)} ${pad(f(row.ms, 3), 10)} ${pad(f(row.t, 4), 8)} ${pad(f(row.e, 4), 8)} ${pad(f(row.phi, 2), 8)} ${pad(f(row.nrr, 4), 7)} ${pad(f(row.opt, 4), 7)}`,
    );
    const n = runs.reduce((a, r) => a + r.methods[m].draws, 0);
    csv.push(
      [m, row.train, row.ms, row.t, row.e, row.phi, row.nrr, row.opt, n]
        .map((v) => (typeof v === 'number' && !Number.isFinite(v) ? '' : v))
        .join(','),
    );
  }
  const dirsMs = pooled(runs, 'dirs', 'decisionMs');
  const psoMs = pooled(runs, 'pso', 'decisionMs');
  const distMs = runs.reduce((a, r) => a + r.distributedMs * r.methods.dirs.draws, 0) / Math.max(1, draws);
  console.log(
    `DIRS decision: ${f(dirsMs, 3)} ms with the ${first?.job.scenario.split('x')[0]} agents in sequence on one core, ${f(distMs, 3)} ms with one agent per MEC in parallel; PSO ${f(psoMs, 1)} ms`,
  );
  for (const r of runs) {
    console.log(
      `  seed ${r.job.seed}: training ${f(r.trainingSeconds, 1)} s (demos ${f(r.demoSeconds, 1)}, pre-training ${f(r.pretrainSeconds, 1)}, online ${f(r.onlineSeconds, 1)}); ` +
        `Eq. 14 loss ${f(r.pretrainLoss[0], 1)} → ${f(r.pretrainLoss[1], 1)}; executed Φ online ${f(r.onlinePhi[0], 2)} → ${f(r.onlinePhi[1], 2)}; ` +
        `demonstrations at ${f(r.demoOfOptimum, 4)} of the optimum; NRR ${f(r.methods.dirs.nrr, 4)}; ` +
        `${f((1000 * r.pretrainSeconds) / Math.max(1, r.job.budget.pretrainIterations * Number(r.job.scenario.split('x')[0])), 0)} ms per agent update (tfjs ${r.backend})`,
    );
  }
  writeFileSync(join(outDir, 'table5.csv'), `${csv.join('\n')}\n`);
  return {
    nrr: pooled(runs, 'dirs', 'nrr'),
    ofOptimum: pooled(runs, 'dirs', 'ofOptimum'),
    speedup: psoMs / dirsMs,
    distributedSpeedup: psoMs / distMs,
    draws,
  };
}

export function positionsTable(runs: readonly EvalResult[], outDir: string): void {
  const csv = ['positions,phi,time_sum_s,energy_sum_J,nrr_vs_pso,of_optimum,pso_phi,training_s,draws'];
  const first = runs[0];
  console.log(
    `\nTable III (${first?.job.scenario}, DIRS per position distribution, ${first?.job.draws} held-out draws each)`,
  );
  console.log(
    `${'positions'.padEnd(10)} ${pad('Φ', 8)} ${pad('ΣT s', 8)} ${pad('ΣE J', 8)} ${pad('NRR', 7)} ${pad('of opt', 7)} ${pad('PSO Φ', 8)}`,
  );
  for (const r of runs) {
    const d = r.methods.dirs;
    const n = (r.job.scenario.split('x')[1] ?? '0') as string;
    const devices = Number(n);
    const row = [d.phi, d.timePerDevice * devices, d.energyPerDevice * devices, d.nrr, d.ofOptimum, r.methods.pso.phi];
    console.log(
      `${r.job.positions.padEnd(10)} ${pad(f(row[0] as number, 2), 8)} ${pad(f(row[1] as number, 2), 8)} ${pad(f(row[2] as number, 2), 8)} ${pad(f(row[3] as number, 4), 7)} ${pad(f(row[4] as number, 4), 7)} ${pad(f(row[5] as number, 2), 8)}`,
    );
    csv.push([r.job.positions, ...row, r.trainingSeconds, d.draws].join(','));
  }
  writeFileSync(join(outDir, 'positions.csv'), `${csv.join('\n')}\n`);
}

export function imitationTable(runs: readonly ImitationResult[], outDir: string): void {
  const csv = ['lr,demonstrations,loss,train_accuracy,test_accuracy,iterations,test_count'];
  const first = runs[0];
  console.log(
    `\nTable II (${first?.job.scenario}, imitation pre-training T_D = ${first?.job.iterations}; accuracy = devices whose voted decision equals the demonstration's; test: ${first?.job.testCount} unseen draws; L1 = Eq. 14 with λ1 = 1e-4, LD = without L2)`,
  );
  const lrs = [...new Set(runs.map((r) => r.job.lr))].sort((a, b) => b - a);
  console.log(
    `${'K'.padStart(5)} ${lrs.map((lr) => `| lr ${lr}: ${pad('L1 train', 8)} ${pad('L1 test', 8)} ${pad('LD train', 8)} ${pad('LD test', 8)}`).join(' ')}`,
  );
  const ks = [...new Set(runs.map((r) => r.job.demonstrations))].sort((a, b) => a - b);
  const pct = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);
  for (const k of ks) {
    const cells = lrs.map((lr) => {
      const l1 = runs.find((r) => r.job.demonstrations === k && r.job.l2 && r.job.lr === lr);
      const ld = runs.find((r) => r.job.demonstrations === k && !r.job.l2 && r.job.lr === lr);
      for (const r of [l1, ld]) {
        if (r) {
          csv.push(
            [lr, k, r.job.l2 ? 'L1' : 'LD', r.trainAccuracy, r.testAccuracy, r.job.iterations, r.job.testCount].join(
              ',',
            ),
          );
        }
      }
      return `| ${' '.repeat(`lr ${lr}: `.length)}${pad(pct(l1?.trainAccuracy), 8)} ${pad(pct(l1?.testAccuracy), 8)} ${pad(pct(ld?.trainAccuracy), 8)} ${pad(pct(ld?.testAccuracy), 8)}`;
    });
    console.log(`${String(k).padStart(5)} ${cells.join(' ')}`);
  }
  const ceiling = runs.reduce((a, r) => a + r.expertAgreement, 0) / Math.max(1, runs.length);
  console.log(
    `a second run of the expert search (another seed) agrees with the test labels on ${(100 * ceiling).toFixed(1)}% of devices: the labels' own noise ceiling`,
  );
  writeFileSync(join(outDir, 'imitation.csv'), `${csv.join('\n')}\n`);
}
