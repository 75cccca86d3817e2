import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { parquetWasm } from './parquet-wasm.js';

/** Writer settings shared by the in-thread and the worker encoders. */
export interface EncodeOptions {
  rowGroupSize: number;
  metadata?: ReadonlyMap<string, string> | undefined;
}

/** Encodes an Arrow IPC stream as Parquet bytes. */
export type ParquetEncoder = (ipc: Uint8Array, options: EncodeOptions) => Uint8Array | Promise<Uint8Array>;

const CREATED_BY = 'twinforge @twinforge/data';

/** ZSTD, dictionary encoding off (it only costs time on float vectors), row groups of `rowGroupSize` rows. */
export const encodeInThread: ParquetEncoder = (ipc, options) => {
  const pw = parquetWasm;
  const table = pw.Table.fromIPCStream(ipc);
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.ZSTD)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(options.rowGroupSize)
    .setCreatedBy(CREATED_BY);
  if (options.metadata) builder = builder.setKeyValueMetadata(new Map(options.metadata));
  return pw.writeParquet(table, builder.build());
};

// The worker is plain CommonJS evaluated from a string, so it runs the same from src/ (tests) and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pw = require(workerData.parquetWasm);
parentPort.on('message', ({ id, ipc, options }) => {
  try {
    let b = new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.ZSTD)
      .setDictionaryEnabled(false)
      .setMaxRowGroupSize(options.rowGroupSize)
      .setCreatedBy(${JSON.stringify(CREATED_BY)});
    if (options.metadata) b = b.setKeyValueMetadata(new Map(options.metadata));
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(ipc), b.build());
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
  }
});
`;

interface Job {
  id: number;
  ipc: Uint8Array;
  options: EncodeOptions;
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

/**
 * A few worker threads, each with its own parquet-wasm instance, encoding files in parallel (parquet-wasm is
 * single-threaded). `close` terminates them; jobs still queued are rejected.
 */
export class ParquetEncoderPool {
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  readonly #workers: Worker[] = [];
  #nextId = 0;

  constructor(size: number) {
    const parquetWasmPath = createRequire(import.meta.url).resolve('parquet-wasm/node');
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parquetWasm: parquetWasmPath } });
      worker.on('message', (msg: { id: number; bytes?: Uint8Array; error?: string }) => {
        const job = this.#running.get(worker);
        this.#running.delete(worker);
        if (job) {
          if (msg.error !== undefined || msg.bytes === undefined) job.reject(new Error(msg.error ?? 'no output'));
          else job.resolve(msg.bytes);
        }
        this.#idle.push(worker);
        this.#pump();
      });
      worker.on('error', (error) => {
        const job = this.#running.get(worker);
        this.#running.delete(worker);
        job?.reject(error);
      });
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  readonly encode: ParquetEncoder = (ipc, options) =>
    new Promise<Uint8Array>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, ipc, options, resolve, reject });
      this.#pump();
    });

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const job = this.#queue.shift() as Job;
      this.#running.set(worker, job);
      const options = {
        rowGroupSize: job.options.rowGroupSize,
        metadata: job.options.metadata && [...job.options.metadata],
      };
      worker.postMessage({ id: job.id, ipc: job.ipc, options }, [job.ipc.buffer as ArrayBuffer]);
    }
  }

  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new Error('encoder pool closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
