import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../lib/run-script.js';

describe('reproduce:generative-fidelity --smoke', () => {
  it('generates a small dataset, trains both generators briefly, prints every fidelity table and its summary', () => {
    const out = mkdtempSync(join(tmpdir(), 'tf-genfid-smoke-'));
    try {
      const res = runScript('reproduce/generative-fidelity.ts', ['--smoke', '--out', out], 600_000);
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/Jamming maps jamming_dBm_16 /);
      expect(res.stdout).toMatch(/Jamming maps jamming_dBm_32 /);
      expect(res.stdout).toMatch(/Event timelines /);
      expect(res.stdout).toMatch(/Generated scenarios in the tactical mesh/);
      expect(res.summary).toMatch(
        /^reproduce:generative-fidelity \d+\/\d+ targets met in [\d.]+ min: maps16 MMD [\d.e+-]+× floor, .* \d+\/\d+ scenarios ran \[smoke: targets not enforced\]$/,
      );
      const maps = readFileSync(join(out, 'maps16.csv'), 'utf8').trim().split('\n');
      expect(maps[0]).toBe(
        'set,n,pixel_js,pixel_w1,mmd2,mmd_vs_floor,semivariogram,spectrum,violations_cell,violations_map,memorised,nn_dist,condition_acc,violations_strict',
      );
      expect(maps.map((l) => l.split(',')[0])).toEqual([
        'set',
        'real (floor)',
        'diffusion',
        'mean map per condition',
        'real maps, condition ignored',
        'diffusion, guidance 2',
      ]);
      const events = readFileSync(join(out, 'events.csv'), 'utf8').trim().split('\n');
      expect(events[0]).toMatch(
        /^set,timelines,events,unigram_js,bigram_js,ks_D,ks_p,transition_l1,invalid_timelines,violations/,
      );
      // Constrained decoding: the transformer row never has a violation, even after a few training steps.
      const transformer = events.find((l) => l.startsWith('transformer,'))?.split(',');
      expect(transformer?.[9]).toBe('0');
      const env = readFileSync(join(out, 'env.csv'), 'utf8').trim().split('\n');
      for (const row of env.slice(1)) {
        const [, episodes, ran] = row.split(',');
        expect(ran).toBe(episodes);
      }
      for (const m of ['diffusion-16', 'diffusion-32', 'transformer']) {
        expect(existsSync(join(out, 'models', m, 'manifest.json'))).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
