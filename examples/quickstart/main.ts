import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isTwinforgeError, MemorySink } from '@twinforge/core';
import { runQuickstart } from './pipeline.js';

// `npm run demo`: runs the demo pipeline on the embedded default and writes its trajectories and summary.
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
  const sink = new MemorySink();
  const out = resolve(values.out);
  const result = await runQuickstart({
    seed: Number(values.seed),
    episodes: Number(values.episodes),
    sink,
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'progress' && e.episode % 50 === 0) {
        process.stdout.write(`episode ${e.episode}/${e.totalEpisodes}  steps ${e.steps}\n`);
      }
    },
  });
  mkdirSync(out, { recursive: true });
  const lines = sink.records.map((r) =>
    JSON.stringify({ ...r, observation: Array.from(r.observation as Float32Array) }),
  );
  writeFileSync(join(out, 'trajectories.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${result.status}: ${result.episodes} episodes, ${result.steps} steps, mean return ${result.meanReturn.toFixed(3)} ` +
      `in ${(result.durationMs / 1000).toFixed(2)} s; wrote ${join(values.out, 'trajectories.jsonl')} and summary.json\n`,
  );
} catch (error) {
  process.stderr.write(isTwinforgeError(error) ? `error [${error.code}]: ${error.message}\n` : `${String(error)}\n`);
  process.exitCode = 1;
}
