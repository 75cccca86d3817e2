import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { EncodingPlan } from './parquet-encodings.js';
import { type ParquetWasm, parquetWasm } from './parquet-wasm.js';

/** Writer settings shared by the in-thread and the worker encoders. */
export interface EncodeOptions {
  rowGroupSize: number;
  metadata?: ReadonlyMap<string, string> | undefined;
  /** Per-column encodings (see encodingPlan); without it the writer's defaults, dictionary off. */
  encodings?: EncodingPlan | undefined;
}

/** Encodes an Arrow IPC stream as Parquet bytes. */
export type ParquetEncoder = (ipc: Uint8Array, options: EncodeOptions) => Uint8Array | Promise<Uint8Array>;

const CREATED_BY = 'twinforge @twinforge/data';

/** Calls on parquet-wasm's WriterPropertiesBuilder, as plain data so a worker can replay them. */
type BuilderCall = [method: string, ...args: (string | number | boolean)[]];

/** EncodeOptions as posted to a worker (structured clone): the builder calls, and the footer metadata as entries. */
interface WireOptions {
  calls: BuilderCall[];
  metadata: [string, string][] | undefined;
}

/**
 * The writer properties as builder calls: ZSTD (parquet-rs's default level, 1), dictionary encoding off except where
 * the plan turns it on, row groups of `rowGroupSize` rows. Decided here once; both encoders only replay them.
 */
function wire(options: EncodeOptions): WireOptions {
  const pw = parquetWasm;
  const calls: BuilderCall[] = [
    ['setCompression', pw.Compression.ZSTD],
    ['setDictionaryEnabled', false],
    ['setMaxRowGroupSize', options.rowGroupSize],
    ['setCreatedBy', CREATED_BY],
  ];
  const plan = options.encodings;
  if (plan?.defaultEncoding !== undefined) calls.push(['setEncoding', plan.defaultEncoding]);
  for (const c of plan?.columns ?? []) {
    calls.push(['setColumnEncoding', c.column, c.encoding], ['setColumnDictionaryEnabled', c.column, c.dictionary]);
  }
  return { calls, metadata: options.metadata && [...options.metadata] };
}

/** Replays the builder calls (the worker's source below does the same in three lines of plain JS). */
function writerProperties(pw: ParquetWasm, { calls, metadata }: WireOptions) {
  let b = new pw.WriterPropertiesBuilder();
  for (const [method, ...args] of calls) {
    const call = (b as unknown as Record<string, (...a: unknown[]) => typeof b>)[method];
    if (typeof call !== 'function') throw new TypeError(`parquet-wasm's WriterPropertiesBuilder has no ${method}`);
    b = call.apply(b, args);
  }
  if (metadata) b = b.setKeyValueMetadata(new Map(metadata));
  return b.build();
}

export const encodeInThread: ParquetEncoder = (ipc, options) =>
  parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipc), writerProperties(parquetWasm, wire(options)));

// The worker is plain CommonJS evaluated from a string, so it runs the same from src/ (tests) and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pw = require(workerData.parquetWasm);
parentPort.on('message', ({ id, ipc, options }) => {
  try {
    let b = new pw.WriterPropertiesBuilder();
    for (const [method, ...args] of options.calls) b = b[method](...args);
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
        worker.unref();
        this.#idle.push(worker);
        this.#pump();
      });
      worker.on('error', (error) => {
        const job = this.#running.get(worker);
        this.#running.delete(worker);
        job?.reject(error);
      });
      // An idle worker must not keep the process alive (a sink that is dropped unclosed); a busy one is ref'd.
      worker.unref();
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  readonly encode: ParquetEncoder = (ipc, options) => this.#submit(ipc, options);

  #submit(ipc: Uint8Array, options: EncodeOptions): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, ipc, options, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const job = this.#queue.shift() as Job;
      this.#running.set(worker, job);
      worker.ref();
      worker.postMessage({ id: job.id, ipc: job.ipc, options: wire(job.options) }, [job.ipc.buffer as ArrayBuffer]);
    }
  }

  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new Error('encoder pool closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
