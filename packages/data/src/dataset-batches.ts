import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { TwinforgeError } from '@twinforge/core';
import { type RecordBatch, type Table, tableFromIPC } from 'apache-arrow';
import type { WrittenFile } from './parquet-file.js';
import { type ParquetWasm, parquetWasm } from './parquet-wasm.js';

type ParquetFileHandle = Awaited<ReturnType<ParquetWasm['ParquetFile']['fromFile']>>;

/** A half-open range of global row indices, `[from, to)`. */
export interface RowRange {
  from: number;
  to: number;
}

/** Options of DatasetReader.batches: the trajectory filter plus the decoded batch size. */
export interface BatchReadOptions {
  episodes?: readonly number[];
  agents?: readonly string[];
  scenarios?: readonly string[];
  /** Rows per decoded batch (parquet-wasm's batchSize; default 1024). Returned batches are at most this long. */
  batchRows?: number;
  /** Only these columns, in this order (default: all); the other columns' pages are not decoded. */
  columns?: readonly string[];
}

/**
 * Streams the selected rows of a dataset as Arrow RecordBatches, one Parquet row group at a time. A row group whose
 * global index range holds none of the selected ranges is never decoded (row-group pruning), so reading one
 * trajectory of a large run costs the row groups it spans, not the run. `rowGroupsRead` and `rowGroupsSkipped`
 * count what happened, for tests and for callers tuning rowGroupSize.
 */
export class DatasetBatches implements AsyncIterable<RecordBatch> {
  rowGroupsRead = 0;
  rowGroupsSkipped = 0;

  constructor(
    private readonly dir: string,
    private readonly files: readonly WrittenFile[],
    /** Selected ranges sorted by `from`, non-overlapping (meta/episodes' trajectory ranges). */
    private readonly ranges: readonly RowRange[],
    private readonly batchRows?: number,
    private readonly columns?: readonly string[],
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    let fileStart = 0;
    for (const file of this.files) {
      const fileEnd = fileStart + file.rows;
      if (!this.#overlaps(fileStart, fileEnd)) {
        fileStart = fileEnd;
        continue;
      }
      const handle = await this.#open(file);
      try {
        const groups = handle.metadata().rowGroups();
        let groupStart = fileStart;
        for (const [g, group] of groups.entries()) {
          const groupEnd = groupStart + group.numRows();
          if (!this.#overlaps(groupStart, groupEnd)) {
            this.rowGroupsSkipped++;
            groupStart = groupEnd;
            continue;
          }
          this.rowGroupsRead++;
          const table = await this.#readGroup(handle, g, file.path);
          yield* this.#slices(table, groupStart);
          groupStart = groupEnd;
        }
        if (groupStart !== fileEnd) {
          throw new TwinforgeError(
            'DATASET_METADATA_MISMATCH',
            `${file.path}: row groups hold ${groupStart - fileStart} rows but the metadata records ${file.rows}`,
            { details: { file: file.path } },
          );
        }
      } finally {
        handle.free();
      }
      fileStart = fileEnd;
    }
  }

  #overlaps(from: number, to: number): boolean {
    // Few selected ranges per call in practice; a linear scan keeps this obviously correct.
    for (const r of this.ranges) if (r.from < to && from < r.to) return true;
    return false;
  }

  async #open(file: WrittenFile): Promise<ParquetFileHandle> {
    try {
      // A lazily read Blob: parquet-wasm fetches the footer and then only the byte ranges of the row groups asked for.
      return await parquetWasm.ParquetFile.fromFile(await openAsBlob(join(this.dir, file.path)));
    } catch (error) {
      throw new TwinforgeError('DATASET_CORRUPT', `${file.path} cannot be opened: ${String(error)}`, {
        cause: error,
        details: { file: file.path },
      });
    }
  }

  async #readGroup(handle: ParquetFileHandle, group: number, path: string): Promise<Table> {
    try {
      const options = {
        rowGroups: [group],
        ...(this.batchRows === undefined ? {} : { batchSize: this.batchRows }),
        ...(this.columns === undefined ? {} : { columns: [...this.columns] }),
      };
      return tableFromIPC((await handle.read(options)).intoIPCStream());
    } catch (error) {
      throw new TwinforgeError('DATASET_CORRUPT', `${path} row group ${group} cannot be decoded: ${String(error)}`, {
        cause: error,
        details: { file: path, rowGroup: group },
      });
    }
  }

  /** The parts of a decoded row group (starting at global row `start`) that fall in selected ranges. */
  *#slices(table: Table, start: number): Generator<RecordBatch> {
    let batchStart = start;
    for (const batch of table.batches) {
      const batchEnd = batchStart + batch.numRows;
      for (const r of this.ranges) {
        const from = Math.max(r.from, batchStart);
        const to = Math.min(r.to, batchEnd);
        if (from < to) yield batch.slice(from - batchStart, to - batchStart);
      }
      batchStart = batchEnd;
    }
  }
}
