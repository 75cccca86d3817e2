import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('reproduce/classic-control.ts --smoke', () => {
  it('trains DQN and TD3 through trainLoop, prints both curves and writes the CSVs', () => {
    const out = mkdtempSync(join(tmpdir(), 'classic-control-'));
    try {
      const res = runScript('reproduce/classic-control.ts', ['--smoke', '--out', out], 180_000);
      expect(res.stderr).not.toMatch(/Error/);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('DQN on CartPole-v1 (backend wasm)');
      expect(res.stdout).toContain('TD3 on Pendulum-v1 (backend wasm)');
      expect(res.summary).toMatch(
        /^reproduce:classic-control smoke \(targets not enforced\): DQN ≥ 450: [01]\/1 seeds \(steps: [^)]*; [\d.]+ s\/1k steps\); TD3 ≥ -200: [01]\/1 seeds .*; wall \d+ s$/,
      );
      const curves = readFileSync(join(out, 'curves.csv'), 'utf8').trim().split('\n');
      expect(curves[0]).toBe('learner,seed,step,mean_return,std_return,wall_s');
      // DQN evaluates at 500, 1000, 1500 steps and TD3 at 400, 800: five rows of finite returns
      expect(curves.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
        'dqn,1,500',
        'dqn,1,1000',
        'dqn,1,1500',
        'td3,1,400',
        'td3,1,800',
      ]);
      for (const line of curves.slice(1)) expect(Number.isFinite(Number(line.split(',')[3]))).toBe(true);
      const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
      expect(summary).toHaveLength(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
