import type { RecordBatch, Schema } from 'apache-arrow';
import { type ParquetEncoderPool, sharedEncoderPool } from './encoder-pool.js';
import { type WriteParquetOptions, type WrittenFile, writeParquetFile } from './parquet-file.js';
import type { TrajectoryBatchBuilder } from './trajectory-batch-builder.js';
import type { TrajectoryLog } from './trajectory-log.js';

/** Relative path of data file `file` in chunk 0 (LeRobot's data_path template). */
export const dataFile = (file: number): string => `data/chunk-000/file-${String(file).padStart(3, '0')}.parquet`;

/** Below this many rows a file is not split for parallel encoding: starting a worker would cost more. */
const MIN_ROWS_PER_PARALLEL_FILE = 131_072;
/** With the workers already running, the rows left at close are split across them down to this size. */
const MIN_ROWS_PER_WARM_FILE = 32_768;
/** Rows after which a run is large enough to start the encoder threads while it is still writing. */
const THREAD_START_ROWS = MIN_ROWS_PER_PARALLEL_FILE;

export interface DataFileWriterOptions {
  dir: string;
  schema: Schema;
  /** Number of the first file this writer adds (a resumed dataset keeps its files 0..first-1). */
  first: number;
  /** Footer metadata and row group size. */
  write: Omit<WriteParquetOptions, 'encoder'>;
  /** Encoder worker threads (0: encode in the calling thread, never while the run writes). */
  threads: number;
  /** Rows of each file encoded while the run is still writing (0: none, everything is encoded at close). */
  streamRows: number;
  /** Most rows in one data file, from maxRowsPerFile and maxFileBytes over the current estimated row width. */
  maxRows(): number;
}

/**
 * Writes the data files of one run. Once the run is large (POOL_START_ROWS) it starts the encoder threads, and from
 * then on, whenever the complete prefix of trajectories (see TrajectoryLog) has grown by a file's worth of rows, it
 * encodes that file on a worker while the run keeps writing, instead of encoding everything at close. Each file is
 * written with writeParquetFile (schema check, footer row count check, fsync, atomic rename), so a crash leaves
 * only complete files, without meta/info.json: an incomplete dataset that `resume` recovers.
 */
export class DataFileWriter {
  readonly #o: DataFileWriterOptions;
  #pool: ParquetEncoderPool | undefined;
  /** Files handed to the encoders while the run was writing, in file order. */
  readonly #streamed: Promise<WrittenFile>[] = [];
  /** Rows (file positions 0..streamedRows-1) of those files. */
  #streamedRows = 0;

  constructor(options: DataFileWriterOptions) {
    this.#o = options;
  }

  get streamedRows(): number {
    return this.#streamedRows;
  }

  /**
   * Called after each row with the rows buffered so far: starts the encoder threads once the run is large enough
   * (loading parquet-wasm takes a worker ~0.1-0.3 s, so they are ready for the first file or for close).
   */
  rowsBuffered(rows: number): void {
    const start = this.#o.streamRows > 0 ? Math.min(THREAD_START_ROWS, this.#o.streamRows) : THREAD_START_ROWS;
    if (rows === start) this.startThreads();
  }

  startThreads(): void {
    if (this.#pool === undefined && this.#o.threads > 0) this.#pool = sharedEncoderPool(this.#o.threads);
  }

  /** Hands every whole file's worth of the complete prefix not yet written to the encoder threads. */
  stream(builder: TrajectoryBatchBuilder, log: TrajectoryLog): void {
    const pool = this.#pool;
    if (pool === undefined || this.#o.streamRows <= 0) return;
    const size = Math.max(1, Math.min(this.#o.streamRows, this.#o.maxRows()));
    if (log.prefixRows - this.#streamedRows < size) return;
    const order = log.gatherPrefix();
    while (order.length - this.#streamedRows >= size) {
      const from = this.#streamedRows;
      const rows = order.subarray(from, from + size);
      // Rows that arrived in file order (one agent at a time) are viewed in place; interleaved ones are gathered.
      let inPlace = true;
      for (let k = 0; inPlace && k < size; k++) inPlace = rows[k] === from + k;
      const batch = inPlace ? builder.build(from, from + size) : builder.buildRows(rows, from);
      const file = this.#write(this.#o.first + this.#streamed.length, batch, pool);
      // Awaited by finish(), which reports a failure; this only keeps it from being an unhandled rejection meanwhile.
      file.catch(() => {});
      this.#streamed.push(file);
      this.#streamedRows = from + size;
    }
  }

  #write(file: number, batch: RecordBatch, pool: ParquetEncoderPool | undefined): Promise<WrittenFile> {
    const options = pool ? { ...this.#o.write, encoder: pool.encode } : this.#o.write;
    return writeParquetFile(this.#o.dir, dataFile(file), this.#o.schema, [batch], options);
  }

  /**
   * Writes the rows not streamed yet, file positions streamedRows..total-1 of `builder` (already in file order), and
   * returns every file of the run in order. `meanwhile` runs once the last files are handed to the encoders, so the
   * caller's own work overlaps theirs.
   */
  async finish(
    builder: TrajectoryBatchBuilder,
    total: number,
    options: { emptyFile: boolean },
    meanwhile: () => void,
  ): Promise<WrittenFile[]> {
    try {
      const rest = total - this.#streamedRows;
      const threads = this.#o.threads;
      const minParallel = this.#pool ? MIN_ROWS_PER_WARM_FILE : MIN_ROWS_PER_PARALLEL_FILE;
      const parallel = threads > 1 ? Math.min(threads, Math.floor(rest / minParallel)) : 1;
      let files = Math.max(1, Math.ceil(rest / this.#o.maxRows()), parallel);
      // No rows left: no file, unless the run wrote none at all and the caller wants an empty one.
      if (rest === 0 && (this.#streamed.length > 0 || !options.emptyFile)) files = 0;
      if (files > 1 && threads > 0) this.startThreads();
      const first = this.#o.first + this.#streamed.length;
      const at = (f: number) => this.#streamedRows + Math.floor((rest * f) / files);
      const written: WrittenFile[] = [];
      const pending: Promise<WrittenFile>[] = [];
      for (let f = 0; f < files; f++) {
        const batch = builder.build(at(f), at(f + 1));
        // In this thread one file at a time (each awaited before the next is built); on workers all at once.
        if (this.#pool === undefined) written.push(await this.#write(first + f, batch, undefined));
        else pending.push(this.#write(first + f, batch, this.#pool));
      }
      meanwhile();
      // Settle every file before reporting, so no failure is left unhandled; the first failure in file order wins.
      const results = await Promise.allSettled([...this.#streamed, ...pending]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const done = results.map((r) => (r as PromiseFulfilledResult<WrittenFile>).value);
      return [...done.slice(0, this.#streamed.length), ...written, ...done.slice(this.#streamed.length)];
    } finally {
      await this.close();
    }
  }

  /** Lets go of the encoder threads (the shared pool ends them once idle for a while). */
  async close(): Promise<void> {
    this.#pool = undefined;
  }
}
