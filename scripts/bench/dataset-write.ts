// npm run bench:dataset-write [-- --smoke]
// Writes 1M agent-steps (16-float observation, 4-float action; 1000-step episodes in the T+1-row layout) with
// twinforge's ParquetDatasetSink and, from the same values held in DuckDB, with DuckDB's
// COPY … TO (FORMAT parquet, COMPRESSION zstd); then reads both back. Prints rows/s for each and, as its last line,
// the ratio of twinforge's write time to DuckDB's. Exits non-zero if either file does not hold every row.
import 'reflect-metadata';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createRng, type StepRecord } from '@twinforge/core';
import { DatasetReader, ParquetDatasetSink } from '@twinforge/data';

const smoke = process.argv.includes('--smoke');
const ROWS = smoke ? 10_010 : 1_001_000;
const STEPS = 1000; // steps per episode: 1001 rows per trajectory
const OBS = 16;
const ACT = 4;

const root = mkdtempSync(join(tmpdir(), 'twinforge-bench-'));
try {
  // Inputs, generated before timing: the values a rollout would hand the sink.
  const rng = createRng(42);
  const obs = rng.fillUniform(new Float32Array(ROWS * OBS), -1, 1);
  const act = rng.fillUniform(new Float32Array(ROWS * ACT), -1, 1);
  const reward = rng.fillUniform(new Float32Array(ROWS), 0, 1);

  // twinforge: open, write every record, close (encode + footer check + fsync + rename + metadata).
  const dir = join(root, 'twinforge');
  const t0 = performance.now();
  const sink = new ParquetDatasetSink({ dir });
  await sink.open({
    runId: 'bench',
    seed: 42,
    environment: 'bench',
    agents: ['agent_0'],
    observationSpace: { type: 'Box', shape: [OBS], low: -1, high: 1, dtype: 'float32' },
    actionSpace: { type: 'Box', shape: [ACT], low: -1, high: 1, dtype: 'float32' },
  });
  for (let i = 0; i < ROWS; i++) {
    const frame = i % (STEPS + 1);
    const last = frame === STEPS;
    const record: StepRecord = {
      episodeIndex: Math.floor(i / (STEPS + 1)),
      frameIndex: frame,
      timestamp: frame,
      agentId: 'agent_0',
      observation: obs.subarray(i * OBS, (i + 1) * OBS),
      action: last ? null : act.subarray(i * ACT, (i + 1) * ACT),
      reward: last ? 0 : (reward[i] as number),
      done: false,
      truncated: frame === STEPS - 1,
      isFirst: frame === 0,
      isLast: last,
      isTerminal: false,
      scenarioId: 'bench',
    };
    sink.write(record);
  }
  const written = await sink.close();
  const twinforgeMs = performance.now() - t0;
  const dataFiles = readdirSync(join(dir, 'data/chunk-000'));
  const twinforgeBytes = dataFiles.reduce((sum, f) => sum + statSync(join(dir, 'data/chunk-000', f)).size, 0);

  const t1 = performance.now();
  const reader = await DatasetReader.open(dir);
  const readRows = reader.table().numRows;
  const twinforgeReadMs = performance.now() - t1;

  // DuckDB: the same values loaded into a table first (not timed), then COPY … TO parquet with ZSTD (timed).
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`CREATE TABLE steps AS SELECT * FROM read_parquet('${dir}/data/*/*.parquet')`);
  const duckFile = join(root, 'duckdb.parquet');
  const t2 = performance.now();
  await conn.run(`COPY steps TO '${duckFile}' (FORMAT parquet, COMPRESSION zstd)`);
  const duckMs = performance.now() - t2;
  const duckBytes = statSync(duckFile).size;
  const [[duckRows]] = (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${duckFile}')`)).getRows() as [
    [bigint],
  ];
  // Read throughput: a scan that decodes every column's pages (count(*) alone would only read the footer).
  const t3 = performance.now();
  const [[scanRows]] = (
    await conn.runAndReadAll(
      `SELECT count(*) FROM read_parquet('${dir}/data/*/*.parquet') WHERE list_sum("observation.state") + list_sum(action) + "next.reward" + frame_index + length(agent_id) > -1e9`,
    )
  ).getRows() as [[bigint]];
  const duckReadMs = performance.now() - t3;
  conn.closeSync();
  inst.closeSync();

  if (written.rows !== ROWS || readRows !== ROWS || Number(duckRows) !== ROWS || Number(scanRows) !== ROWS) {
    console.error(
      `row counts disagree: sent ${ROWS}, twinforge ${written.rows}/${readRows}, duckdb ${duckRows}/${scanRows}`,
    );
    process.exit(1);
  }
  const rate = (ms: number) => Math.round((ROWS / ms) * 1000);
  const mb = (b: number) => (b / 1e6).toFixed(1);
  console.log(`rows: ${ROWS} (obs ${OBS} x float32, action ${ACT} x float32)`);
  console.log(
    `twinforge write: ${twinforgeMs.toFixed(0)} ms, ${rate(twinforgeMs)} rows/s, ${mb(twinforgeBytes)} MB in ${dataFiles.length} file(s)`,
  );
  console.log(`duckdb    write: ${duckMs.toFixed(0)} ms, ${rate(duckMs)} rows/s, ${mb(duckBytes)} MB`);
  console.log(`twinforge read (DatasetReader.open, validated): ${rate(twinforgeReadMs)} rows/s`);
  console.log(`duckdb    read (full scan of twinforge's file): ${rate(duckReadMs)} rows/s`);
  console.log(
    `bench:dataset-write ${ROWS} rows: twinforge ${rate(twinforgeMs)} rows/s, duckdb ${rate(duckMs)} rows/s, ratio ${(twinforgeMs / duckMs).toFixed(2)}x duckdb write time`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
