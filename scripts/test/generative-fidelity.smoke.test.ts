import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, SCRIPTS_DIR } from '../lib/run-script.js';

const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(SCRIPTS_DIR, '..', 'packages', 'cli', 'dist', 'bin.js'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });

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
        'set,n,pixel_js,pixel_w1,mmd2,mmd_vs_floor,mmd_vs_floor_5draws,semivariogram,spectrum,violations_cell,violations_map,memorised,nn_dist,condition_acc,violations_strict',
      );
      // The verdict's MMD ratio: mean (min-max) over the redraws, beside the single-draw ratio.
      expect(maps.find((l) => l.startsWith('diffusion,'))).toMatch(
        /^diffusion,(?:[^,]*,){5}[\d.e+-]+ \([\d.e+-]+-[\d.e+-]+\),/,
      );
      // toCsv quotes the names with commas.
      expect(maps.map((l) => /^("[^"]*"|[^,]*)/.exec(l)?.[1]?.replaceAll('"', ''))).toEqual([
        'set',
        'real (floor)',
        'diffusion',
        'mean map per condition',
        'real maps, condition ignored',
        'diffusion, no guidance',
      ]);
      // The 32×32 row "diffusion" is the cascade from the 16×16 model; the 32×32 model alone is scored beside it.
      const maps32 = readFileSync(join(out, 'maps32.csv'), 'utf8').trim().split('\n');
      expect(maps32.some((l) => l.startsWith('"diffusion, single stage",'))).toBe(true);
      expect(res.stdout).toMatch(/"diffusion" is the cascade from diffusion-16, rendered from noise level 0\.3/);
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
      // The 32×32 child's job and result files are temporary, not outputs.
      expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual(['summary.json']);
      // What was generated is a dataset the CLI scores again against the real one.
      const maps16 = cli([
        'fidelity',
        'maps',
        join(out, 'dataset'),
        join(out, 'generated', 'diffusion-16'),
        '--column',
        'jamming_dBm_16',
        '--targets',
        'jammer_count',
        '--hotspot-threshold',
        '-126',
        '--json',
      ]);
      expect(maps16.status, maps16.stderr).toBe(0);
      const mapsJson = JSON.parse(maps16.stdout) as { sets: unknown; report: { mmdRatio: Record<string, number> } };
      expect(Number.isFinite(Object.values(mapsJson.report.mmdRatio)[0])).toBe(true);
      const timelines = cli([
        'fidelity',
        'events',
        join(out, 'dataset'),
        join(out, 'generated', 'transformer'),
        '--nodes',
        '20',
        '--horizon',
        '100',
        '--max-jammers',
        '3',
        '--channels',
        '3',
        '--width',
        '5000',
        '--height',
        '5000',
        '--max-violations',
        '0',
      ]);
      expect(timelines.status, timelines.stderr).toBe(0);
      expect(timelines.stdout).toMatch(/0 validity violation/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
