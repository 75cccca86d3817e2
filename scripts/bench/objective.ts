// npm run bench:objective [-- --smoke]
// Evaluations per second of the DIRS objective Φ = Σ (φT·T_i + φE·E_i) (seed 004, Eq. 11) for 10 MECs × 200 devices:
// the vectorised, allocation-free forms against a naive per-device loop over the scalar models, in the same process
// on the same decisions. `tabulated` is DirsObjective (per-link rate/energy tables built once per slot, since h is
// fixed while a search tries decisions); `streamed` is dirsObjective, recomputing every rate like the scalar loop.
// Exits non-zero if the forms disagree.
import 'reflect-metadata';
import { createRng } from '@twinforge/core';
import {
  type DirsInstance,
  DirsObjective,
  dirsObjective,
  equalShareEdgeCpuInto,
  localExecutionEnergy,
  offloadLatency,
  sampleDirsInstance,
  shannonRate,
  snr,
  transmitEnergy,
} from '@twinforge/physics';

const smoke = process.argv.includes('--smoke');
const MECS = smoke ? 2 : 10;
const DEVICES = smoke ? 30 : 200;
const BUDGET_MS = smoke ? 50 : 1500;
const DECISIONS = 64;

/** The naive peer: one object per device, validated scalar calls, a fresh edge-share table per evaluation. */
function naiveObjective(inst: DirsInstance, decision: Int32Array): number {
  const counts = new Array<number>(inst.mecs).fill(0);
  for (const a of decision) if (a > 0) counts[a - 1] = (counts[a - 1] as number) + 1;
  let total = 0;
  for (let i = 0; i < inst.devices; i++) {
    const a = decision[i] as number;
    const dev = {
      D: inst.dataBits[i] as number,
      F: inst.cycles[i] as number,
      f0: inst.localCpuHz[i] as number,
      p: inst.txPowerW[i] as number,
    };
    let t: number;
    let e: number;
    if (a > 0) {
      const r = shannonRate(inst.bandwidthHz, snr(dev.p, inst.gain[i * inst.mecs + a - 1] as number, inst.noisePowerW));
      const fEdge = (inst.mecCpuHz[a - 1] as number) / (counts[a - 1] as number);
      t = offloadLatency(dev.D, r, dev.F, fEdge);
      e = transmitEnergy(dev.p, dev.D, r);
    } else {
      t = dev.F / dev.f0;
      e = localExecutionEnergy(inst.kappa, dev.f0, dev.F, inst.nu);
    }
    total += inst.phiT * t + inst.phiE * e;
  }
  return total;
}

function measure(
  label: string,
  evaluate: (d: Int32Array) => number,
  decisions: Int32Array[],
): { rate: number; check: number } {
  // warm-up so both forms are optimised before timing
  let check = 0;
  for (let k = 0; k < 200; k++) check += evaluate(decisions[k % decisions.length] as Int32Array);
  let evals = 0;
  const start = performance.now();
  let now = start;
  while (now - start < BUDGET_MS) {
    for (let k = 0; k < 100; k++) check += evaluate(decisions[(evals + k) % decisions.length] as Int32Array);
    evals += 100;
    now = performance.now();
  }
  const rate = evals / ((now - start) / 1000);
  console.log(
    `${label.padEnd(12)} ${rate.toFixed(0).padStart(10)} evaluations/s  (${evals} in ${(now - start).toFixed(0)} ms)`,
  );
  return { rate, check };
}

const rng = createRng(2024);
const inst = sampleDirsInstance({ devices: DEVICES, mecs: MECS, rng: rng.split('instance') });
const drng = rng.split('decisions');
const decisions = Array.from({ length: DECISIONS }, () =>
  Int32Array.from({ length: DEVICES }, () => drng.int(0, MECS)),
);
const objective = new DirsObjective(inst);

const edgeCpu = new Float64Array(DEVICES);
const counts = new Int32Array(MECS);
const streamed = (d: Int32Array): number => dirsObjective(inst, d, equalShareEdgeCpuInto(edgeCpu, inst, d, counts));

let mismatch = 0;
for (const d of decisions) {
  const a = objective.evaluate(d);
  const b = naiveObjective(inst, d);
  const c = streamed(d);
  const tol = 1e-9 * Math.max(1, Math.abs(b));
  if (!(Math.abs(a - b) <= tol && Math.abs(c - b) <= tol)) mismatch++;
}
console.log(
  `DIRS objective, ${MECS} MECs x ${DEVICES} devices, ${DECISIONS} random decisions${smoke ? ' (smoke)' : ''}`,
);
const vec = measure('tabulated', (d) => objective.evaluate(d), decisions);
const str = measure('streamed', streamed, decisions);
const naive = measure('scalar loop', (d) => naiveObjective(inst, d), decisions);
if (![vec.check, str.check, naive.check].every(Number.isFinite)) mismatch++;
const ratio = vec.rate / naive.rate;
const ratioStreamed = str.rate / naive.rate;
console.log(
  `bench:objective ${MECS}x${DEVICES}: tabulated ${vec.rate.toFixed(0)} eval/s, streamed ${str.rate.toFixed(0)} eval/s, scalar ${naive.rate.toFixed(0)} eval/s, ratio ${ratio.toFixed(2)}x (streamed ${ratioStreamed.toFixed(2)}x), ${mismatch === 0 ? 'forms agree' : `${mismatch} MISMATCHES`}`,
);
if (mismatch > 0) process.exit(1);
