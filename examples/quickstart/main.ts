import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isTwinforgeError } from '@twinforge/core';
import { ParquetDatasetSink } from '@twinforge/data';
import { runQuickstart } from './pipeline.js';

// `npm run demo:quickstart`: runs the demo pipeline on the embedded default and writes its Parquet dataset and summary.
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    episodes: { type: 'string', default: '200' },
    out: { type: 'string', default: 'runs/quickstart' },
  },
});

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  const seed = Number(values.seed);
  // A fresh directory per run: a dataset is never overwritten.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const runDir = resolve(values.out, `seed${seed}-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const datasetDir = join(runDir, 'dataset');
  const result = await runQuickstart({
    seed,
    episodes: Number(values.episodes),
    sink: new ParquetDatasetSink({ dir: datasetDir, datasetId: 'twinforge/quickstart-v1' }),
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'progress' && e.episode % 50 === 0) {
        process.stdout.write(`episode ${e.episode}/${e.totalEpisodes}  steps ${e.steps}\n`);
      }
    },
  });
  writeFileSync(join(runDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  const rel = relative(process.cwd(), runDir);
  process.stdout.write(
    `Open it in DuckDB: SELECT episode_index, sum("next.reward") FROM read_parquet('${rel}/dataset/data/*/*.parquet') GROUP BY 1;\n`,
  );
  process.stdout.write(
    `${result.status}: ${result.episodes} episodes, ${result.steps} steps, mean return ${result.meanReturn.toFixed(3)} ` +
      `in ${(result.durationMs / 1000).toFixed(2)} s; dataset (${result.dataset?.rows ?? 0} rows) and summary.json in ${rel}\n`,
  );
} catch (error) {
  process.stderr.write(isTwinforgeError(error) ? `error [${error.code}]: ${error.message}\n` : `${String(error)}\n`);
  process.exitCode = 1;
}
