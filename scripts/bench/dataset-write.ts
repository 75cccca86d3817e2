// npm run bench:dataset-write [-- --smoke]
// Writes 1M agent-steps (16-float observation, 4-float action; 1000-step episodes in the T+1-row layout, 18 columns)
// to Parquet twice, in the same process and on the same disk, and compares the write times:
// - twinforge: ParquetDatasetSink from StepRecords, timed from open() to the end of close(): creating one StepRecord
//   per row (as a rollout does), validating and buffering it, encoding (parquet-wasm on worker threads, ZSTD), writing
//   and fsyncing each file, reading its footer row count back, the atomic renames, and meta/episodes, stats.json and
//   info.json. Its encoder threads and DuckDB's threads both default to the machine's cores.
// - DuckDB (the peer): COPY … TO one Parquet file (ZSTD level 3, parquet-rs's default and so parquet-wasm's; row
//   groups of 131072 rows like twinforge's; DuckDB fsyncs the file on close) from a table holding the very same rows,
//   loaded from twinforge's files before timing. Its time covers encoding and writing only, not taking the rows in,
//   so the comparison errs against twinforge.
// Rounds alternate which writer goes first; each side's figure is its best round, the least disturbed by other work
// on a shared machine (every round is printed, with the process CPU time of each write: both writers keep every
// core busy, so on an idle machine the ratio of wall times follows that of CPU times). Then both read twinforge's
// files back. The last line is the ratio of the best write times; the script exits 1 if it is above the issue's
// target, 1.5x (not with --smoke, whose 10k rows measure start-up costs rather than throughput), or if any file does
// not hold every row.
import 'reflect-metadata';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createRng, type StepRecord } from '@twinforge/core';
import { DatasetReader, ParquetDatasetSink } from '@twinforge/data';

const smoke = process.argv.includes('--smoke');
const ROWS = smoke ? 10_010 : 1_001_000;
const ROUNDS = smoke ? 1 : 5;
const TARGET = 1.5;
const STEPS = 1000; // steps per episode: 1001 rows per trajectory
const OBS = 16;
const ACT = 4;

const root = mkdtempSync(join(tmpdir(), 'twinforge-bench-'));

// Inputs, generated before timing: the values a rollout would hand the sink.
const rng = createRng(42);
const obs = rng.fillUniform(new Float32Array(ROWS * OBS), -1, 1);
const act = rng.fillUniform(new Float32Array(ROWS * ACT), -1, 1);
const reward = rng.fillUniform(new Float32Array(ROWS), 0, 1);

interface Written {
  ms: number;
  /** CPU time of the whole process (every thread, DuckDB's included) while writing. */
  cpuMs: number;
  rows: number;
  bytes: number;
  files: number;
}

/** twinforge: open, write every record, close. */
async function twinforgeWrite(dir: string): Promise<Written> {
  const c0 = process.cpuUsage();
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
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const files = readdirSync(join(dir, 'data/chunk-000'));
  const bytes = files.reduce((sum, f) => sum + statSync(join(dir, 'data/chunk-000', f)).size, 0);
  return { ms, cpuMs, rows: written.rows, bytes, files: files.length };
}

/** DuckDB: COPY the table to one Parquet file. */
async function duckdbWrite(conn: DuckDBConnection, file: string): Promise<Written> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await conn.run(
    `COPY steps TO '${file}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE 131072)`,
  );
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  const [[rows]] = (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${file}')`)).getRows() as [[bigint]];
  return { ms, cpuMs, rows: Number(rows), bytes: statSync(file).size, files: 1 };
}

const cpuSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const rate = (ms: number) => Math.round((ROWS / ms) * 1000);
const mb = (b: number) => (b / 1e6).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

let failed = false;
try {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const duckThreads = (await conn.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]?.[0];
  console.log(
    `rows: ${ROWS} (obs ${OBS} x float32, action ${ACT} x float32), ${ROUNDS} round(s); ${availableParallelism()} cores, ` +
      `duckdb threads ${String(duckThreads)}, load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const tf: Written[] = [];
  const duck: Written[] = [];
  let tableDir: string | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const dir = join(root, `twinforge-${round}`);
    const file = join(root, `duckdb-${round}.parquet`);
    const runTwinforge = async () => {
      tf.push(await twinforgeWrite(dir));
      // The DuckDB table is the rows of the first twinforge dataset, loaded once, before any DuckDB timing.
      if (tableDir === undefined) {
        tableDir = dir;
        await conn.run(`CREATE TABLE steps AS SELECT * FROM read_parquet('${dir}/data/*/*.parquet') ORDER BY index`);
      }
    };
    const runDuckdb = async () => duck.push(await duckdbWrite(conn, file));
    // DuckDB needs its table, so round 0 starts with twinforge; later rounds alternate.
    if (round % 2 === 0) {
      await runTwinforge();
      await runDuckdb();
    } else {
      await runDuckdb();
      await runTwinforge();
    }
    const [a, b] = [tf[round] as Written, duck[round] as Written];
    console.log(
      `round ${round + 1}: twinforge ${a.ms.toFixed(0)} ms, duckdb ${b.ms.toFixed(0)} ms, ratio ${(a.ms / b.ms).toFixed(2)}x` +
        ` (CPU time ${a.cpuMs.toFixed(0)} vs ${b.cpuMs.toFixed(0)} ms)`,
    );
    if (a.rows !== ROWS || b.rows !== ROWS) {
      console.error(`row counts disagree: sent ${ROWS}, twinforge wrote ${a.rows}, duckdb ${b.rows}`);
      failed = true;
    }
    if (round > 0) rmSync(dir, { recursive: true, force: true });
    rmSync(file, { force: true });
  }

  // Read throughput, of twinforge's files: DatasetReader.open validates every file, then decodes the whole table;
  // DuckDB scans every column's pages (count(*) alone would only read the footers).
  const dir = tableDir as string;
  const t1 = performance.now();
  const readRows = (await DatasetReader.open(dir)).table().numRows;
  const twinforgeReadMs = performance.now() - t1;
  const t3 = performance.now();
  const [[scanRows]] = (
    await conn.runAndReadAll(
      `SELECT count(*) FROM read_parquet('${dir}/data/*/*.parquet') WHERE list_sum("observation.state") + list_sum(action) + "next.reward" + frame_index + length(agent_id) > -1e9`,
    )
  ).getRows() as [[bigint]];
  const duckReadMs = performance.now() - t3;
  conn.closeSync();
  inst.closeSync();
  if (readRows !== ROWS || Number(scanRows) !== ROWS) {
    console.error(`row counts disagree: sent ${ROWS}, read back by twinforge ${readRows}, by duckdb ${scanRows}`);
    failed = true;
  }

  const best = (ws: Written[]) => ws.reduce((m, w) => (w.ms < m.ms ? w : m));
  const [a, b] = [best(tf), best(duck)];
  const ratio = a.ms / b.ms;
  const paired = median(tf.map((w, i) => w.ms / (duck[i] as Written).ms));
  console.log(
    `twinforge write: ${a.ms.toFixed(0)} ms, ${rate(a.ms)} rows/s, ${mb(a.bytes)} MB in ${a.files} file(s) (best of ${ROUNDS})`,
  );
  console.log(`duckdb    write: ${b.ms.toFixed(0)} ms, ${rate(b.ms)} rows/s, ${mb(b.bytes)} MB (best of ${ROUNDS})`);
  console.log(`median of the per-round ratios: ${paired.toFixed(2)}x`);
  console.log(`twinforge read (DatasetReader.open, validated): ${rate(twinforgeReadMs)} rows/s`);
  console.log(`duckdb    read (full scan of twinforge's files): ${rate(duckReadMs)} rows/s`);
  const verdict = smoke ? 'not checked with --smoke' : ratio <= TARGET ? 'met' : 'MISSED';
  if (!smoke && ratio > TARGET) failed = true;
  console.log(
    `bench:dataset-write ${ROWS} rows: twinforge ${rate(a.ms)} rows/s, duckdb ${rate(b.ms)} rows/s, ratio ${ratio.toFixed(2)}x duckdb write time (target <= ${TARGET}x: ${verdict})`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
