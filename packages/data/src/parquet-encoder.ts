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
export interface WireOptions {
  calls: BuilderCall[];
  metadata: [string, string][] | undefined;
}

/**
 * The writer properties as builder calls: ZSTD (parquet-rs's default level, 1), dictionary encoding off except where
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

export const encodeInThread: ParquetEncoder = (ipc, options) =>
  parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(ipc), writerProperties(parquetWasm, wire(options)));

/**
 * The encoder worker: plain CommonJS evaluated from a string, so it runs the same from src/ (tests) and dist/. After
 * a failed job it exits: a Rust panic can leave the wasm instance unusable, and the pool replaces an exited worker.
 */
export const WORKER_SOURCE = `
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
    process.exit(1);
  }
});
`;
