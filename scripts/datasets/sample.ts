import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHost, silentLogger } from '@twinforge/core';
import { ParquetDatasetSink } from '@twinforge/data';

/**
 * Regenerates the committed sample dataset datasets/samples/toy-channel-access-v1 from its seed, bit for bit:
 * 3 radios contending for 4 channels with a jammer on channel 1 from t = 20 s to t = 35 s, random policy.
 *   npm run dataset:sample              rewrite the committed copy
 *   npm run dataset:sample -- --check   regenerate into a temp dir and compare every file's hash (exit 1 if any differ)
 */
export const SAMPLE_ID = 'twinforge/toy-channel-access-v1';
export const SAMPLE_SEED = 2026;
const here = dirname(fileURLToPath(import.meta.url));
export const SAMPLE_DIR = resolve(here, '../../datasets/samples/toy-channel-access-v1');

export async function generateSample(dir: string): Promise<void> {
  const host = await createHost({ logger: silentLogger });
  try {
    await host
      .pipeline()
      .environment('toy-channel-access', { agents: 3, channels: 4, horizon: 50 })
      .generator('static', {
        events: [
          { kind: 'jammer-on', t: 20, jammer: 0, position: { x: 0, y: 0 }, radius_m: 500, power_W: 1, channel: 1 },
          { kind: 'jammer-off', t: 35, jammer: 0 },
        ],
      })
      .dataset(new ParquetDatasetSink({ dir, datasetId: SAMPLE_ID }))
      .run({ seed: SAMPLE_SEED, episodes: 20, runId: 'sample' }).done;
  } finally {
    await host.dispose();
  }
}

/** Relative path → sha256 of every file below `dir`. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const tmp = mkdtempSync(join(tmpdir(), 'tf-sample-'));
  try {
    await generateSample(join(tmp, 'ds'));
    const fresh = hashTree(join(tmp, 'ds'));
    if (values.check) {
      const committed = hashTree(SAMPLE_DIR);
      const differ = [...new Set([...Object.keys(fresh), ...Object.keys(committed)])].filter(
        (f) => fresh[f] !== committed[f],
      );
      for (const f of Object.keys(fresh)) console.log(`${fresh[f] === committed[f] ? 'same ' : 'DIFF '} ${f}`);
      console.log(`dataset:sample --check: ${differ.length === 0 ? 'identical' : `${differ.length} file(s) differ`}`);
      if (differ.length > 0) process.exitCode = 1;
      return;
    }
    rmSync(SAMPLE_DIR, { recursive: true, force: true });
    cpSync(join(tmp, 'ds'), SAMPLE_DIR, { recursive: true });
    console.log(`dataset:sample: wrote ${Object.keys(fresh).length} files to ${relative(process.cwd(), SAMPLE_DIR)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
