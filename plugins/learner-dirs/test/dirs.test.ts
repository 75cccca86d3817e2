import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, createRng, type StepRecord, silentLogger } from '@twinforge/core';
import { DatasetReader, ParquetDatasetSink, writeStream } from '@twinforge/data';
import envMec, { MecEnv } from '@twinforge/plugin-env-mec';
import { createMlp, getFlatWeights, initTensorBackend } from '@twinforge/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import learnerDirs, { DirsAgents, DirsLearner, DirsPolicy, DirsTrainer, FlatMlp, GainFeatures } from '../src/index.js';

beforeAll(async () => {
  await initTensorBackend({ logger: silentLogger });
});

function bce(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

describe('agent networks', () => {
  it('FlatMlp (inference in JS) matches the tfjs MLP', () => {
    const net = createMlp({ sizes: [7, 11, 5, 7], activation: 'relu' }, createRng(1));
    const flat = new FlatMlp([7, 11, 5, 7], getFlatWeights(net));
    const rng = createRng(2);
    for (let k = 0; k < 20; k++) {
      const x = Float32Array.from({ length: 7 }, () => rng.normal());
      const ref = net.predict(x);
      const out = flat.forward(x);
      for (let i = 0; i < 7; i++) expect(out[i]).toBeCloseTo(ref[i] as number, 5);
    }
    net.dispose();
    expect(() => flat.forward(new Float32Array(3))).toThrow(/length 7/);
  });

  it('the training loss is Eq. 14/16: Σ_rows w_r·Σ_i BCE(π(h_j), 1[a*_i = j]) + λ1·‖θ_j‖² per agent', () => {
    const n = 4;
    const m = 2;
    const agents = new DirsAgents({ devices: n, mecs: m, hidden: [5, 3], lr: 1e-3, lambda1: 0.01 }, createRng(3));
    const rng = createRng(4);
    const b = 3;
    const features = Float32Array.from({ length: b * n * m }, () => rng.normal());
    const decisions = Float32Array.from({ length: b * n }, () => rng.int(0, m));
    const rowWeights = Float32Array.of(0.5, 0.25, 0.1); // e.g. two demo rows (1/K) and one agent row (λ2/S)
    // expected loss from the current weights, computed by hand
    const expected: number[] = [];
    const rowLoss = new Float64Array(b);
    for (let j = 0; j < m; j++) {
      const w = getFlatWeights(agents.nets[j] as never);
      let l2 = 0;
      for (const v of w) l2 += v * v;
      let loss = 0.01 * l2;
      for (let r = 0; r < b; r++) {
        const z = agents.logits(j, features.subarray(r * n * m, (r + 1) * n * m));
        let row = 0;
        for (let i = 0; i < n; i++) row += bce(z[i] as number, decisions[r * n + i] === j + 1 ? 1 : 0);
        loss += (rowWeights[r] as number) * row;
        rowLoss[r] = (rowLoss[r] as number) + row / (n * m);
      }
      expected.push(loss);
    }
    const step = agents.trainStep({ size: b, features, decisions, rowWeights });
    for (let j = 0; j < m; j++) expect(step.losses[j]).toBeCloseTo(expected[j] as number, 4);
    for (let r = 0; r < b; r++) expect(step.rowLoss[r]).toBeCloseTo(rowLoss[r] as number, 4);
    agents.dispose();
  });

  it('gain features are log10 h standardised per link', () => {
    const f = GainFeatures.fit([Float64Array.of(1e-6, 1e-4), Float64Array.of(1e-4, 0)]);
    expect(f.mean[0]).toBeCloseTo(-5, 10);
    expect(f.std[0]).toBeCloseTo(1, 10);
    expect(f.mean[1]).toBeCloseTo((-4 - 30) / 2, 10);
    const col = f.columnInto(new Float32Array(1), Float64Array.of(1e-6, 1), 2, 0);
    expect(col[0]).toBeCloseTo(-1, 5);
    expect(() => GainFeatures.fit([Float64Array.of(1)])).toThrow(/two states/);
    // agent 1 reading its own observation h_1 uses the statistics of links (i, 1)
    const g = Float64Array.of(1e-6, 1e-5);
    expect(f.observationInto(new Float32Array(1), [1e-5], 2, 1)[0]).toBeCloseTo(
      f.columnInto(new Float32Array(1), g, 2, 1)[0] as number,
      6,
    );
  });
});

describe('DIRS trainer (2x30)', () => {
  it('imitation from search demonstrations beats the untrained ensemble, keeps demonstrations and trains online', () => {
    const trainer = new DirsTrainer(
      { scenario: '2x30' },
      { demonstrations: 64, pretrainIterations: 60, batchSize: 64, onlineSteps: 40, trainInterval: 10 },
      createRng(5),
    );
    const demos = trainer.generateDemonstrations(1);
    expect(demos.gains.length).toBe(64);
    for (let k = 0; k < 64; k++) expect(demos.phis[k]).toBeLessThanOrEqual((demos.startPhis[k] as number) + 1e-9);
    trainer.addDemonstrations(demos);
    const test = trainer.generateDemonstrations(2, { count: 32 });
    const before = trainer.accuracy(test.gains, test.decisions);
    const pre = trainer.pretrain();
    expect(pre.losses.at(-1) as number).toBeLessThan((pre.losses[0] as number) * 0.8);
    expect(trainer.accuracy(demos.gains, demos.decisions)).toBeGreaterThan(0.6);
    expect(trainer.accuracy(test.gains, test.decisions)).toBeGreaterThan(before);
    const online = trainer.online(3);
    expect(online.rounds).toBe(4);
    expect(online.losses.length).toBe(8); // T_M = 2 updates per round
    expect(online.executedPhi.length).toBe(40);
    let demosKept = 0;
    for (let s = 0; s < trainer.replay.capacity; s++) if (trainer.replay.isDemonstration(s)) demosKept++;
    expect(demosKept).toBe(64);
    expect(trainer.replay.size).toBe(64 + 40); // every slot refined and stored (refineAllSlots)
    trainer.dispose();
  });

  it('writes demonstrations as a dataset that reads back with the expert decisions as one-hot actions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirs-demo-'));
    try {
      const trainer = new DirsTrainer({ scenario: '2x30' }, { demonstrations: 8 }, createRng(6));
      const records: StepRecord[] = [];
      const demos = trainer.generateDemonstrations(1, { record: (r) => records.push(r) });
      const env = new MecEnv({ scenario: '2x30' });
      const res = await writeStream(
        new ParquetDatasetSink({ dir }),
        {
          runId: 'demo',
          seed: 1,
          environment: 'mec',
          agents: env.possibleAgents,
          observationSpace: env.observationSpace('mec_0').toJSON(),
          actionSpace: env.actionSpace('mec_0').toJSON(),
        },
        records,
      );
      expect(res.rows).toBe(2 * 9);
      const reader = await DatasetReader.open(dir);
      const rows = reader.episode(0, 'mec_1').toArray();
      const first = Array.from(rows[0]?.action as Float32Array);
      expect(first).toEqual(Array.from(demos.decisions[0] as Int32Array, (a) => (a === 2 ? 1 : 0)));
      trainer.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DIRS policy checkpoints', () => {
  it('saves and loads a trained policy that decides identically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirs-ckpt-'));
    try {
      const trainer = new DirsTrainer(
        { scenario: '2x30' },
        { demonstrations: 16, pretrainIterations: 5, batchSize: 16 },
        createRng(8),
      );
      trainer.addDemonstrations(trainer.generateDemonstrations(1));
      trainer.pretrain();
      const policy = trainer.policy();
      await policy.save(join(dir, 'ckpt'));
      const loaded = await DirsPolicy.load(join(dir, 'ckpt'));
      const rng = createRng(3);
      for (let k = 0; k < 5; k++) {
        const model = trainer.system.sample(rng);
        expect(Array.from(loaded.decide(model))).toEqual(Array.from(policy.decide(model)));
      }
      await expect(DirsPolicy.load(join(dir, 'missing'))).rejects.toThrow();
      const foreign = join(dir, 'foreign');
      await policy.save(foreign);
      const file = join(foreign, 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      manifest.metadata.devices = 0;
      writeFileSync(file, JSON.stringify(manifest));
      await expect(DirsPolicy.load(foreign)).rejects.toMatchObject({
        code: 'CHECKPOINT_INVALID',
        message: expect.stringMatching(/not a DIRS policy checkpoint: metadata\.devices/),
      });
      // the pipeline learner acts per agent from that agent's own observation h_j, as the ensemble does
      const learner = new DirsLearner({}, createRng(0));
      await learner.load(join(dir, 'ckpt'));
      const env = new MecEnv({ scenario: '2x30' });
      const { observations } = env.reset({ seed: 4 });
      const scores = policy.scores(env.model.instance.gain).map((a) => Array.from(a));
      for (const [j, agent] of env.possibleAgents.entries()) {
        const act = learner.policy().act(observations[agent], { explore: false, agent }) as Float32Array;
        for (let i = 0; i < 30; i++) expect(act[i]).toBeCloseTo(scores[j]?.[i] as number, 5);
      }
      trainer.dispose();
      loaded.agents.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plugin', () => {
  it('runs baselines and DIRS in a pipeline on the mec environment', async () => {
    const host = await createHost({ plugins: [envMec, learnerDirs], logger: silentLogger });
    try {
      const greedy = await host
        .pipeline()
        .environment('mec', { scenario: '2x30', horizon: 3 })
        .learner('mec-greedy')
        .run({ seed: 1, episodes: 1 }).done;
      expect(greedy.status).toBe('completed');
      const dirs = await host
        .pipeline()
        .environment('mec', { scenario: '2x30', horizon: 12 })
        .learner('dirs', { demonstrations: 16, pretrainIterations: 3, batchSize: 16, trainInterval: 5 })
        .run({ seed: 1, episodes: 1 }).done;
      expect(dirs.status).toBe('completed');
      // every agent received the global reward 1/Φ each slot
      expect(dirs.returns[0]).toBeGreaterThan(0);
    } finally {
      await host.dispose();
    }
  });
});
