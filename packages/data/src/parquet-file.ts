import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
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
  /** How to encode (default: in this thread); a ParquetEncoderPool's `encode` runs it on a worker. */
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
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
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
 * Writes record batches as one Parquet file (ZSTD, per-column encodings of encodingPlan) at `root/relative`, crash-safely:
 * every batch's schema is checked first (parquet-wasm drops mismatching batches silently), the bytes go to a
 * temporary file, the footer's row count is compared with the rows sent, then the file is fsynced and renamed.
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
  let bytes: Uint8Array;
  try {
    const ipc = tableToIPC(new Table(schema, [...batches]), 'stream');
    const encode = options.encoder ?? encodeInThread;
    bytes = await encode(ipc, encodeOptions(schema, batches, options));
  } catch (error) {
    throw new TwinforgeError('DATASET_WRITE_FAILED', `${relative}: Parquet encoding failed: ${String(error)}`, {
      cause: error,
      details: { file: relative },
    });
  }
  const location = locateFooter(bytes, relative);
  const footer = readFooterMetadata(bytes, location, relative);
  if (footer.rows !== rows) {
    throw new TwinforgeError(
      'DATASET_WRITE_FAILED',
      `${relative}: the Parquet footer says ${footer.rows} rows but ${rows} were sent; nothing was written`,
      { details: { file: relative, sent: rows, footer: footer.rows } },
    );
  }
  try {
    writeFileAtomic(join(root, relative), bytes);
  } catch (error) {
    throw new TwinforgeError('DATASET_WRITE_FAILED', `${relative}: write failed: ${String(error)}`, {
      cause: error,
      details: { file: relative },
    });
  }
  return { path: relative, rows, bytes: bytes.length, footerOffset: location.footerOffset };
}

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
