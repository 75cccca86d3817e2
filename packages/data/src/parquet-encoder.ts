import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { EncodingPlan } from './parquet-encodings.js';
import { type ParquetWasm, parquetWasm } from './parquet-wasm.js';

/** Writer settings shared by the in-thread and the worker encoders. */
export interface EncodeOptions {
  rowGroupSize: number;
  metadata?: ReadonlyMap<string, string> | undefined;
  /** Per-column encodings (see encodingPlan); without it the writer's defaults, dictionary off. */
  encodings?: EncodingPlan | undefined;
}

/**
 * Encodes an Arrow IPC stream as Parquet into the (temporary) file `file`, fsynced, and returns its size. Writing
 * where the bytes are made keeps them out of the calling thread: a worker's output never crosses back.
 */
export type ParquetEncoder = (ipc: Uint8Array, options: EncodeOptions, file: string) => number | Promise<number>;

const CREATED_BY = 'twinforge @twinforge/data';

/** Calls on parquet-wasm's WriterPropertiesBuilder, as plain data so a worker can replay them. */
type BuilderCall = [method: string, ...args: (string | number | boolean)[]];

/** EncodeOptions as posted to a worker (structured clone): the builder calls, and the footer metadata as entries. */
export interface WireOptions {
  calls: BuilderCall[];
  metadata: [string, string][] | undefined;
}

/**
 * The writer properties as builder calls: ZSTD (at parquet-rs's default level, the zstd crate's 3: parquet-wasm has no
 * way to set another), dictionary encoding off except where
 * the plan turns it on, row groups of `rowGroupSize` rows. Decided here once; both encoders only replay them.
 */
export function wire(options: EncodeOptions): WireOptions {
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

/** Writes `bytes` to a new file `file` and fsyncs it. */
function writeSynced(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const encodeInThread: ParquetEncoder = (ipc, options, file) => {
  const bytes = parquetWasm.writeParquet(
    parquetWasm.Table.fromIPCStream(ipc),
    writerProperties(parquetWasm, wire(options)),
  );
  writeSynced(file, bytes);
  return bytes.length;
};

/**
 * The encoder worker: plain CommonJS evaluated from a string, so it runs the same from src/ (tests) and dist/. After
 * a failed job it exits: a Rust panic can leave the wasm instance unusable, and the pool replaces an exited worker.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const pw = require(workerData.parquetWasm);
parentPort.on('message', ({ id, ipc, options, file }) => {
  try {
    let b = new pw.WriterPropertiesBuilder();
    for (const [method, ...args] of options.calls) b = b[method](...args);
    if (options.metadata) b = b.setKeyValueMetadata(new Map(options.metadata));
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(ipc), b.build());
    const fd = fs.openSync(file, 'w');
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    parentPort.postMessage({ id, size: bytes.length });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack || error) });
    process.exit(1);
  }
});
`;
