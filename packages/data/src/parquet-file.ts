import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isTwinforgeError, TwinforgeError } from '@twinforge/core';
import { type RecordBatch, type Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { type EncodeOptions, encodeInThread, type ParquetEncoder } from './parquet-encoder.js';
import { encodingPlan } from './parquet-encodings.js';
import { type ExpectedFile, locateFooter } from './parquet-footer.js';
import { readFooterMetadata } from './parquet-footer-metadata.js';
import { parquetWasm } from './parquet-wasm.js';
import { schemaDifference } from './schema.js';

export interface WrittenFile {
  /** Path relative to the dataset root, with forward slashes. */
  path: string;
  rows: number;
  bytes: number;
  footerOffset: number;
}

export interface WriteParquetOptions {
  /** Maximum rows per row group (64k-128k keeps DuckDB's parallel scans and pruning effective). */
  rowGroupSize?: number;
  /** Footer key-value metadata. */
  metadata?: ReadonlyMap<string, string>;
  /** How to encode and write the temporary file (default: in this thread); a ParquetEncoderPool's runs it on a worker. */
  encoder?: ParquetEncoder;
}

/** What the encoder is told for a file: row group size, footer metadata and column encodings (from its first batch). */
function encodeOptions(schema: Schema, batches: readonly RecordBatch[], options: WriteParquetOptions): EncodeOptions {
  return {
    rowGroupSize: options.rowGroupSize ?? 131_072,
    metadata: options.metadata,
    encodings: encodingPlan(schema, batches[0]),
  };
}

/** Writes `bytes` to `path` via a temporary file in the same directory: write, fsync, rename, fsync the directory. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = tempPath(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * Writes record batches as one Parquet file (ZSTD, per-column encodings of encodingPlan) at `root/relative`,
 * crash-safely: every batch's schema is checked first (parquet-wasm drops mismatching batches silently), the encoder
 * writes and fsyncs a temporary file (on a worker with a pool's encoder, so the bytes never cross threads), the
 * footer's row count is read back from that file and compared with the rows sent, then it is renamed into place and
 * the directory fsynced. On any failure the temporary file is removed.
 */
export async function writeParquetFile(
  root: string,
  relative: string,
  schema: Schema,
  batches: readonly RecordBatch[],
  options: WriteParquetOptions = {},
): Promise<WrittenFile> {
  let rows = 0;
  for (const [i, batch] of batches.entries()) {
    const diff = schemaDifference(batch.schema, schema);
    if (diff !== undefined) {
      throw new TwinforgeError(
        'DATASET_SCHEMA_MISMATCH',
        `${relative}: batch ${i} does not match the schema: ${diff}`,
        {
          details: { file: relative, batch: i },
        },
      );
    }
    rows += batch.numRows;
  }
  const path = join(root, relative);
  const tmp = tempPath(path);
  const fail = (what: string, error: unknown) =>
    isTwinforgeError(error)
      ? error
      : new TwinforgeError('DATASET_WRITE_FAILED', `${relative}: ${what}: ${String(error)}`, {
          cause: error,
          details: { file: relative },
        });
  try {
    let size: number;
    try {
      const ipc = tableToIPC(new Table(schema, [...batches]), 'stream');
      const encode = options.encoder ?? encodeInThread;
      size = await encode(ipc, encodeOptions(schema, batches, options), tmp);
    } catch (error) {
      throw fail('Parquet encoding failed', error);
    }
    // The row count is read back from the footer on disk (only the footer), independently of parquet-wasm.
    const footer = footerOfFile(tmp, relative);
    if (footer.rows !== rows || footer.size !== size) {
      throw new TwinforgeError(
        'DATASET_WRITE_FAILED',
        `${relative}: the Parquet footer says ${footer.rows} rows in ${footer.size} bytes but ${rows} rows were sent` +
          ` and ${size} bytes written; nothing was kept`,
        { details: { file: relative, sent: rows, footer: footer.rows } },
      );
    }
    try {
      renameSync(tmp, path);
      syncDir(dirname(path));
    } catch (error) {
      throw fail('write failed', error);
    }
    return { path: relative, rows, bytes: size, footerOffset: footer.footerOffset };
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The temporary name a file is written under before its rename: same directory, hidden, per process. */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Reads only the head magic and the footer of the Parquet file at `path` (not its pages): the row count and where the
 * footer starts. Anything that is not a complete Parquet file is DATASET_WRITE_FAILED: it was just written.
 */
function footerOfFile(path: string, relative: string): { rows: number; size: number; footerOffset: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (at: number, length: number) => {
      const buf = new Uint8Array(length);
      let off = 0;
      while (off < length) {
        const n = readSync(fd, buf, off, length - off, at + off);
        if (n === 0) break;
        off += n;
      }
      return buf;
    };
    const head = size >= 12 ? read(0, 4) : new Uint8Array(0);
    const tail = size >= 12 ? read(size - 8, 8) : new Uint8Array(0);
    const bad = (why: string) =>
      new TwinforgeError('DATASET_WRITE_FAILED', `${relative}: the encoder wrote no valid Parquet file (${why})`, {
        details: { file: relative, size },
      });
    const magic = (b: Uint8Array, at: number) => new DataView(b.buffer).getUint32(at, true) === PAR1;
    if (head.length < 4 || !magic(head, 0) || !magic(tail, 4)) throw bad('no PAR1 magic at both ends');
    const footerLength = new DataView(tail.buffer).getUint32(0, true);
    const footerOffset = size - 8 - footerLength;
    if (footerOffset < 4) throw bad(`footer length ${footerLength} does not fit`);
    const footer = read(footerOffset, footerLength);
    const { rows } = readFooterMetadata(footer, { footerOffset: 0, footerLength, size: footerLength }, relative);
    return { rows, size, footerOffset };
  } finally {
    closeSync(fd);
  }
}

/** 'PAR1' read as a little-endian uint32. */
const PAR1 = 0x31524150;

/** Reads a whole Parquet file into an Arrow JS table after checking its magic and footer. */
export async function readParquetFile(
  root: string,
  relative: string,
  expected: ExpectedFile = {},
): Promise<{ table: Table; rows: number; metadata: Map<string, string> }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(root, relative));
  } catch (error) {
    throw new TwinforgeError('DATASET_METADATA_MISMATCH', `${relative} is listed in the metadata but cannot be read`, {
      cause: error,
      details: { file: relative },
    });
  }
  const location = locateFooter(bytes, relative, expected);
  let footer: { rows: number; metadata: Map<string, string> };
  let table: Table;
  try {
    footer = readFooterMetadata(bytes, location, relative);
    table = tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream());
  } catch (error) {
    throw new TwinforgeError('DATASET_CORRUPT', `${relative} cannot be decoded: ${String(error)}`, {
      cause: error,
      details: { file: relative },
    });
  }
  if (table.numRows !== footer.rows) {
    throw new TwinforgeError(
      'DATASET_CORRUPT',
      `${relative}: footer says ${footer.rows} rows, decoded ${table.numRows}`,
      {
        details: { file: relative },
      },
    );
  }
  return { table, rows: footer.rows, metadata: footer.metadata };
}
