import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type EncodeOptions, type ParquetEncoder, WORKER_SOURCE, wire } from './parquet-encoder.js';

interface Job {
  id: number;
  ipc: Uint8Array;
  options: EncodeOptions;
  file: string;
  resolve(size: number): void;
  reject(error: Error): void;
}

/** How long the shared pool keeps idle workers (and their compiled, warmed-up parquet-wasm) before ending them. */
const KEEP_ALIVE_MS = 10_000;

/**
 * Worker threads, each with its own parquet-wasm instance, encoding files in parallel (parquet-wasm is
 * single-threaded). A worker that exits (after a failed job, see WORKER_SOURCE) is replaced on the next job. Idle
 * workers never keep the process alive. With `keepAliveMs`, the workers end after that long without work, and the
 * next job starts new ones; `close` ends them at once and rejects queued jobs.
 */
export class ParquetEncoderPool {
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  readonly #running = new Map<Worker, Job>();
  readonly #workers = new Set<Worker>();
  readonly #parquetWasm = createRequire(import.meta.url).resolve('parquet-wasm/node');
  readonly #keepAliveMs: number | undefined;
  #size: number;
  #nextId = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(size: number, options: { keepAliveMs?: number } = {}) {
    this.#size = Math.max(1, size);
    this.#keepAliveMs = options.keepAliveMs;
    for (let i = 0; i < this.#size; i++) this.#spawn();
  }

  get size(): number {
    return this.#size;
  }

  /** Grows the pool to at least `size` workers. */
  grow(size: number): void {
    this.#size = Math.max(this.#size, size);
    while (this.#workers.size < this.#size) this.#spawn();
  }

  #spawn(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parquetWasm: this.#parquetWasm } });
    worker.on('message', (msg: { id: number; size?: number; error?: string }) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      if (job) {
        if (msg.error !== undefined || msg.size === undefined) job.reject(new Error(msg.error ?? 'no output'));
        else job.resolve(msg.size);
      }
      // A worker that reported an error exits (see WORKER_SOURCE): do not hand it another job.
      if (msg.error !== undefined) return;
      worker.unref();
      this.#idle.push(worker);
      this.#pump();
    });
    worker.on('error', (error) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      job?.reject(error);
    });
    worker.on('exit', () => {
      this.#workers.delete(worker);
      const at = this.#idle.indexOf(worker);
      if (at >= 0) this.#idle.splice(at, 1);
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      job?.reject(new Error('the encoder thread exited'));
      this.#pump();
    });
    // An idle worker must not keep the process alive (a sink that is dropped unclosed); a busy one is ref'd.
    worker.unref();
    this.#workers.add(worker);
    this.#idle.push(worker);
  }

  readonly encode: ParquetEncoder = (ipc, options, file) =>
    new Promise<number>((resolve, reject) => {
      if (this.#size === 0) throw new Error('encoder pool closed');
      this.#queue.push({ id: this.#nextId++, ipc, options, file, resolve, reject });
      this.#pump();
    });

  #pump(): void {
    if (this.#queue.length > 0) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
      while (this.#workers.size < this.#size) this.#spawn();
    }
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const job = this.#queue.shift() as Job;
      this.#running.set(worker, job);
      worker.ref();
      const message = { id: job.id, ipc: job.ipc, options: wire(job.options), file: job.file };
      worker.postMessage(message, [job.ipc.buffer as ArrayBuffer]);
    }
    if (this.#keepAliveMs !== undefined && this.#running.size === 0 && this.#queue.length === 0) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => void this.#endWorkers(), this.#keepAliveMs);
      this.#idleTimer.unref();
    }
  }

  async #endWorkers(): Promise<void> {
    const workers = [...this.#workers];
    this.#workers.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    for (const job of this.#queue.splice(0)) job.reject(new Error('encoder pool closed'));
    this.#size = 0;
    await this.#endWorkers();
  }
}

let shared: ParquetEncoderPool | undefined;

/**
 * The process-wide encoder pool, grown to at least `size` workers. Its workers outlive the sink that asked for them
 * by KEEP_ALIVE_MS, so datasets written one after another reuse threads whose parquet-wasm is already compiled and
 * optimised (a fresh worker's first file took 1.5-1.8x as long as the next), like a database's worker threads.
 */
export function sharedEncoderPool(size: number): ParquetEncoderPool {
  if (shared === undefined || shared.size === 0) shared = new ParquetEncoderPool(size, { keepAliveMs: KEEP_ALIVE_MS });
  else shared.grow(size);
  return shared;
}
