import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioEvent } from '@twinforge/core';
import { Float64, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../src/index.js';
import { memoryIo, runCli, tempDir } from './helpers/cli.js';
import {
  blobMaps,
  eventColumns,
  gridVector,
  ints,
  randomTimelines,
  seeded,
  writeMaps,
  writeTable,
} from './helpers/fidelity-fixtures.js';

const dir = tempDir('twinforge-fidelity-');
const SIDE = 12;

async function cli(argv: string[]) {
  const io = memoryIo(dir);
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

interface MapsJson {
  sets: Record<string, { rows: number; of: number }>;
  report: {
    floor: { mmd2: number; condition?: { accuracy: number } };
    candidates: Record<string, { mmd2: number; memorisationRate?: number; constraints?: { cellRate: number } }>;
    mmdRatio: Record<string, number>;
  };
  mmdOverDraws?: { draws: number; ratios: number[]; mean: number };
  gates: { option: string; passed: boolean; value: number }[];
  passed: boolean;
}

beforeAll(async () => {
  // Real and "good" generated maps: one distribution, independent streams; "bad": constant maps at the mean level.
  const real = blobMaps(200, SIDE, seeded(1, 'real'));
  const good = blobMaps(100, SIDE, seeded(1, 'generated'));
  const floor = blobMaps(100, SIDE, seeded(1, 'floor'));
  await writeMaps(dir, 'real.parquet', real.maps, real.counts);
  await writeMaps(dir, 'good.parquet', good.maps, good.counts);
  await writeMaps(dir, 'floor.parquet', floor.maps, floor.counts);
  await writeMaps(
    dir,
    'bad.parquet',
    good.maps.map(() => new Float32Array(SIDE * SIDE).fill(0.2)),
    good.counts,
  );
  // Copies of real maps: what a generator that memorised its training set emits.
  await writeMaps(dir, 'copies.parquet', real.maps.slice(0, 100), real.counts.slice(0, 100));
  // The same maps in a dataset directory (data/snapshots.parquet), as npm run dataset:mesh-scenarios lays it out.
  await writeMaps(join(dir, 'dataset'), 'data/snapshots.parquet', real.maps, real.counts);
  // A 8×8 map set, a non-square column and a column that is not a list.
  const small = blobMaps(20, 8, seeded(2, 'small'));
  await writeMaps(dir, 'small.parquet', small.maps, small.counts);
  await writeTable(dir, 'odd.parquet', {
    grid: gridVector(
      Array.from({ length: 10 }, () => new Float32Array(10)),
      10,
    ),
    jammer_count: ints(Array(10).fill(1)),
  });
  await writeTable(dir, 'scalar.parquet', { grid: vectorFromArray([1, 2, 3], new Float64()) });

  // Events: real and good timelines from one generator; broken = good with each timeline's times reversed.
  const realTl = randomTimelines(240, seeded(3, 'real'));
  const goodTl = randomTimelines(120, seeded(3, 'generated'));
  const brokenTl: ScenarioEvent[][] = goodTl.map((tl) => {
    const times = tl.map((e) => e.t).reverse();
    return tl.map((e, k) => ({ ...e, t: times[k] as number }));
  });
  const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}-${i}`);
  await writeTable(dir, 'events-real.parquet', eventColumns(realTl, ids(240, 'r')));
  await writeTable(dir, 'events-good.parquet', eventColumns(goodTl, ids(120, 'g')));
  await writeTable(dir, 'events-broken.parquet', eventColumns(brokenTl, ids(120, 'b')));
  await writeTable(dir, 'events-no-node.parquet', eventColumns(goodTl, ids(120, 'g'), ['node']));
  // A dataset directory: scenarios.parquet lists 10 scenarios, only 6 of which have events.
  const few = realTl.filter((tl) => tl.length > 0).slice(0, 6);
  await writeTable(join(dir, 'events-dataset'), 'data/events.parquet', eventColumns(few, ids(6, 's')));
  await writeTable(join(dir, 'events-dataset'), 'data/scenarios.parquet', {
    scenario_id: vectorFromArray(ids(10, 's')),
  });
  writeFileSync(join(dir, 'not-parquet.parquet'), 'just text, not a Parquet file\n');
}, 60_000);

const MAPS = ['--column', 'grid'];
const HOT = ['--targets', 'jammer_count', '--hotspot-threshold', '0.5'];

describe('twinforge fidelity maps', () => {
  it('maps of the real distribution: MMD² near the floor, every gate passes, exit 0', async () => {
    const res = await cli([
      'fidelity',
      'maps',
      'real.parquet',
      'good.parquet',
      ...MAPS,
      ...HOT,
      '--range',
      '-0.1,3',
      '--forbidden',
      '2.8,2.9',
      '--max-mmd-ratio',
      '2',
      '--max-violations',
      '0.01',
      '--min-condition-accuracy',
      '0.9',
      '--csv',
      'maps.csv',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toMatch(/reference +100 real maps: a seeded half of real\.parquet \(--seed 0\)/);
    expect(res.stdout).toMatch(/floor +100 real maps: the other half/);
    expect(res.stdout).toMatch(/^set +n +pixel_js +pixel_w1 +mmd2 +mmd_vs_floor/m);
    expect(res.stdout).toMatch(/^real \(floor\) +100 /m);
    expect(res.stdout).toMatch(/^generated +100 /m);
    expect(res.stdout).toContain('--max-mmd-ratio 2: MMD²/floor (mean of 5 draws) = ');
    expect(res.stdout).toMatch(
      /MMD²\/floor over 5 seeded redraws of the reference\/floor split \(draw 1 is the table's\)/,
    );
    expect(res.stdout).toMatch(/3 gate\(s\) passed\n$/);
    const csv = readFileSync(join(dir, 'maps.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^set,n,pixel_js,/);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['real (floor)', 'generated']);

    const json = JSON.parse(
      (await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, ...HOT, '--json'])).stdout,
    ) as MapsJson;
    const ratio = json.report.mmdRatio.generated as number;
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2);
    // The verdict's redraws: the first is the table's split, the others re-split the real rows.
    const over = json.mmdOverDraws as NonNullable<MapsJson['mmdOverDraws']>;
    expect(over.draws).toBe(5);
    expect(over.ratios[0]).toBeCloseTo(ratio, 12);
    expect(new Set(over.ratios).size).toBe(5);
    expect(over.mean).toBeCloseTo(over.ratios.reduce((a, b) => a + b, 0) / 5, 12);
    const single = JSON.parse(
      (await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--json', '--mmd-draws', '1'])).stdout,
    ) as MapsJson;
    expect(single.mmdOverDraws).toBeUndefined();
    // Separated bumps: the real maps' hot spots give their count.
    expect(json.report.floor.condition?.accuracy).toBeGreaterThan(0.95);
    expect(json.sets).toEqual({
      reference: { file: 'real.parquet', rows: 100, of: 200 },
      floor: { file: 'real.parquet', rows: 100, of: 200 },
      generated: { file: 'good.parquet', rows: 100, of: 100 },
    });
  });

  it('constant maps: MMD² far above the floor, --max-mmd-ratio 2 fails with exit 3 naming the gate', async () => {
    const res = await cli(['fidelity', 'maps', 'real.parquet', 'bad.parquet', ...MAPS, '--max-mmd-ratio', '2']);
    expect(res.code).toBe(EXIT.gateFailed);
    expect(res.stderr).toMatch(
      /^twinforge: gate failed: --max-mmd-ratio 2: MMD²\/floor \(mean of 5 draws\) = [\d.e+]+ FAILED \(must be ≤ 2\)$/m,
    );
    expect(res.stdout).toMatch(/1 of 1 gate\(s\) FAILED\n$/);
    const json = JSON.parse(
      (await cli(['fidelity', 'maps', 'real.parquet', 'bad.parquet', ...MAPS, '--json', '--max-mmd-ratio', '2']))
        .stdout,
    ) as MapsJson;
    expect(json.report.mmdRatio.generated).toBeGreaterThan(5);
    expect(json.passed).toBe(false);
    expect(json.gates).toEqual([expect.objectContaining({ option: '--max-mmd-ratio', passed: false })]);
  });

  it('constraint and condition gates fail when missed', async () => {
    // Bumps reach ~2.5, so a range of [0, 1] is broken by the bump centres.
    const range = await cli([
      'fidelity',
      'maps',
      'real.parquet',
      'good.parquet',
      ...MAPS,
      '--range',
      '0,1',
      '--max-violations',
      '0',
    ]);
    expect(range.code).toBe(EXIT.gateFailed);
    expect(range.stderr).toMatch(/gate failed: --max-violations 0: violating cells = 0\.\d+ FAILED/);
    // Constant maps at 0.2 have no hot spot above 0.5: accuracy 0.
    const cond = await cli([
      'fidelity',
      'maps',
      'real.parquet',
      'bad.parquet',
      ...MAPS,
      ...HOT,
      '--min-condition-accuracy',
      '0.9',
    ]);
    expect(cond.code).toBe(EXIT.gateFailed);
    expect(cond.stderr).toMatch(
      /gate failed: --min-condition-accuracy 0\.9: condition accuracy = 0 FAILED \(must be ≥ 0\.9\)/,
    );
    expect(cond.stdout).toMatch(/generated misses \(target->found\): [12]->0 ×\d+/);
  });

  it('--floor, --training (memorisation) and a dataset directory', async () => {
    const json = JSON.parse(
      (
        await cli([
          'fidelity',
          'maps',
          'dataset',
          'copies.parquet',
          ...MAPS,
          '--floor',
          'floor.parquet',
          '--training',
          'real.parquet',
          '--json',
        ])
      ).stdout,
    ) as MapsJson;
    expect(json.sets.reference).toEqual({ file: join('dataset', 'data', 'snapshots.parquet'), rows: 200, of: 200 });
    expect(json.sets.floor).toEqual({ file: 'floor.parquet', rows: 100, of: 100 });
    expect(json.mmdOverDraws).toBeUndefined(); // a --floor file is one draw
    const both = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--floor', 'floor.parquet']);
    expect(both.code).toBe(EXIT.ok);
    const redraw = await cli([
      'fidelity',
      'maps',
      'real.parquet',
      'good.parquet',
      ...MAPS,
      '--floor',
      'floor.parquet',
      '--mmd-draws',
      '3',
    ]);
    expect(redraw.code).toBe(EXIT.usage);
    expect(redraw.stderr).toMatch(/--mmd-draws above 1 .* cannot go with --floor/);
    // Copies of training maps are flagged; fresh maps of the distribution are not.
    expect(json.report.candidates.generated?.memorisationRate).toBe(1);
    const fresh = JSON.parse(
      (await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--training', 'real.parquet', '--json']))
        .stdout,
    ) as MapsJson;
    expect(fresh.report.candidates.generated?.memorisationRate).toBeLessThan(0.05);
  });

  it('the seed changes the split; the same seed gives the same numbers', async () => {
    const run = async (seed: string) =>
      (
        JSON.parse(
          (await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--json', '--seed', seed])).stdout,
        ) as MapsJson
      ).report.floor.mmd2;
    expect(await run('3')).toBe(await run('3'));
    expect(await run('3')).not.toBe(await run('4'));
  });
});

describe('twinforge fidelity events', () => {
  const RULES = [
    '--nodes',
    '10',
    '--horizon',
    '100',
    '--max-jammers',
    '2',
    '--channels',
    '3',
    '--width',
    '1000',
    '--height',
    '1000',
  ];

  it('timelines of the real generator: no violation, gates pass', async () => {
    const res = await cli([
      'fidelity',
      'events',
      'events-real.parquet',
      'events-good.parquet',
      ...RULES,
      '--max-bigram-js',
      '0.05',
      '--min-ks-p',
      '0.01',
      '--max-violations',
      '0',
      '--csv',
      'events.csv',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toMatch(/^set +timelines +events +unigram_js +bigram_js +ks_D +ks_p +transition_l1/m);
    // A plain events file has no row for an empty timeline: 2 of the 120 generated (and 4 of the 240 real) are empty.
    expect(res.stdout).toMatch(/^generated +118 +\d+ .* 0$/m);
    expect(res.stdout).toContain('generated violations by rule: none');
    expect(readFileSync(join(dir, 'events.csv'), 'utf8')).toMatch(/^set,timelines,events,/);
  });

  it('time-reversed timelines: violations counted, --max-violations 0 exits 3', async () => {
    const res = await cli([
      'fidelity',
      'events',
      'events-real.parquet',
      'events-broken.parquet',
      ...RULES,
      '--max-violations',
      '0',
      '--json',
    ]);
    expect(res.code).toBe(EXIT.gateFailed);
    const json = JSON.parse(res.stdout) as {
      report: { candidates: { generated: { validity: { violations: number; byRule: Record<string, number> } } } };
      passed: boolean;
    };
    const validity = json.report.candidates.generated.validity;
    expect(validity.violations).toBeGreaterThan(50);
    expect(validity.byRule['time-decreasing']).toBeGreaterThan(0);
    expect(json.passed).toBe(false);
    expect(res.stderr).toMatch(/gate failed: --max-violations 0: validity violations = \d+ FAILED/);
  });

  it('a dataset directory counts scenarios without events as empty timelines', async () => {
    const res = await cli(['fidelity', 'events', 'events-dataset', 'events-dataset', '--nodes', '10', '--json']);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout) as { sets: Record<string, { rows: number; of: number }> };
    expect(json.sets.reference).toEqual({ file: join('events-dataset', 'data', 'events.parquet'), rows: 5, of: 10 });
  });
});

describe('twinforge fidelity: bad input', () => {
  it('a missing file is FILE_NOT_FOUND, a directory without the table DATASET_NOT_FOUND', async () => {
    const missing = await cli(['fidelity', 'maps', 'nope.parquet', 'good.parquet', ...MAPS]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^twinforge: error \[FILE_NOT_FOUND\]: real maps not found: nope\.parquet does not exist/,
    );
    const gen = await cli(['fidelity', 'events', 'events-real.parquet', 'nope', '--nodes', '10']);
    expect(gen.stderr).toMatch(/error \[FILE_NOT_FOUND\]: generated events not found: nope does not exist/);
    const dirNoTable = await cli(['fidelity', 'maps', 'events-dataset', 'good.parquet', ...MAPS]);
    expect(dirNoTable.code).toBe(1);
    expect(dirNoTable.stderr).toMatch(
      /error \[DATASET_NOT_FOUND\]: events-dataset is a directory without data\/snapshots\.parquet/,
    );
  });

  it('a missing column is DATASET_SCHEMA_MISMATCH naming it (and the closest one)', async () => {
    const res = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', '--column', 'gird']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /error \[DATASET_SCHEMA_MISMATCH\]: real\.parquet has no column "gird"\. Did you mean "grid"\?/,
    );
    const targets = await cli([
      'fidelity',
      'maps',
      'real.parquet',
      'good.parquet',
      ...MAPS,
      '--targets',
      'jammers',
      '--hotspot-threshold',
      '0.5',
    ]);
    expect(targets.stderr).toMatch(/DATASET_SCHEMA_MISMATCH\]: real\.parquet has no column "jammers"/);
    const events = await cli(['fidelity', 'events', 'events-real.parquet', 'events-no-node.parquet', '--nodes', '10']);
    expect(events.code).toBe(1);
    expect(events.stderr).toMatch(/DATASET_SCHEMA_MISMATCH\]: events-no-node\.parquet has no column "node"/);
  });

  it('non-square, non-list and differently sized grids are DATASET_SCHEMA_MISMATCH', async () => {
    const odd = await cli(['fidelity', 'maps', 'odd.parquet', 'good.parquet', ...MAPS]);
    expect(odd.stderr).toMatch(
      /DATASET_SCHEMA_MISMATCH\]: odd\.parquet: "grid" has 10 values per row, not a square n×n grid/,
    );
    const scalar = await cli(['fidelity', 'maps', 'scalar.parquet', 'good.parquet', ...MAPS]);
    expect(scalar.stderr).toMatch(
      /DATASET_SCHEMA_MISMATCH\]: scalar\.parquet: column "grid" is Float64, not a list of numbers/,
    );
    const sizes = await cli(['fidelity', 'maps', 'real.parquet', 'small.parquet', ...MAPS]);
    expect(sizes.code).toBe(1);
    expect(sizes.stderr).toMatch(
      /DATASET_SCHEMA_MISMATCH\]: small\.parquet: "grid" holds 8x8 maps but real\.parquet holds 12x12/,
    );
  });

  it('a file that is not Parquet fails with a dataset error, not a crash', async () => {
    const res = await cli(['fidelity', 'maps', 'not-parquet.parquet', 'good.parquet', ...MAPS]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^twinforge: error \[DATASET_[A-Z_]+\]: .*not-parquet\.parquet/);
  });

  it('bad option values are usage errors (exit 2) naming the option', async () => {
    const range = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--range', '1;2']);
    expect(range.code).toBe(EXIT.usage);
    expect(range.stderr).toMatch(/option '--range <lo,hi>' argument '1;2' is invalid\. expected two numbers "lo,hi"/);
    const band = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--forbidden', '3,1']);
    expect(band.code).toBe(EXIT.usage);
    expect(band.stderr).toMatch(/--forbidden <lo,hi>' argument '3,1' is invalid\. expected lo < hi/);
    const pair = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--targets', 'jammer_count']);
    expect(pair.code).toBe(EXIT.usage);
    expect(pair.stderr).toContain('--targets and --hotspot-threshold go together');
    const gateless = await cli(['fidelity', 'maps', 'real.parquet', 'good.parquet', ...MAPS, '--max-violations', '0']);
    expect(gateless.stderr).toContain('--max-violations needs constraints');
    const nodes = await cli(['fidelity', 'events', 'events-real.parquet', 'events-good.parquet']);
    expect(nodes.code).toBe(EXIT.usage);
    expect(nodes.stderr).toContain("required option '--nodes <n>' not specified");
    const p = await cli([
      'fidelity',
      'events',
      'events-real.parquet',
      'events-good.parquet',
      '--nodes',
      '10',
      '--min-ks-p',
      '5',
    ]);
    expect(p.stderr).toContain('--min-ks-p is a p-value in [0, 1], got 5');
  });

  it('the built bin returns the exit codes to the shell (child process)', () => {
    const res = runCli([
      'fidelity',
      'maps',
      join(dir, 'real.parquet'),
      join(dir, 'bad.parquet'),
      ...MAPS,
      '--max-mmd-ratio',
      '2',
    ]);
    expect(res.status).toBe(EXIT.gateFailed);
    expect(res.stderr).toContain('gate failed: --max-mmd-ratio 2');
    const missing = runCli([
      'fidelity',
      'events',
      join(dir, 'nope.parquet'),
      join(dir, 'nope.parquet'),
      '--nodes',
      '3',
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/FILE_NOT_FOUND/);
  });
});
