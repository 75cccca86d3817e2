import { TwinforgeError } from '@twinforge/core';

const MAGIC = 0x31524150; // 'PAR1' read as little-endian uint32

/** Where a Parquet file's footer sits, read from its last 8 bytes. */
export interface FooterLocation {
  /** Byte offset where the footer (Thrift FileMetaData) starts: everything before it is magic + data pages. */
  footerOffset: number;
  footerLength: number;
  size: number;
}

export interface ExpectedFile {
  bytes?: number | undefined;
  footerOffset?: number | undefined;
}

/**
 * Checks the structure parquet-wasm would otherwise trip over (or panic on): leading and trailing 'PAR1' magic and
 * a footer length that fits the file. A file shorter than the size recorded in the metadata is truncated; a file that
 * ends exactly where its footer should start, or lacks the trailing magic, has no footer.
 */
export function locateFooter(bytes: Uint8Array, file: string, expected: ExpectedFile = {}): FooterLocation {
  const size = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const details = { file, size, expectedBytes: expected.bytes };
  if (size < 4 || view.getUint32(0, true) !== MAGIC) {
    if (size === 0 && expected.bytes !== undefined && expected.bytes > 0) {
      throw new TwinforgeError('DATASET_TRUNCATED_FILE', `${file} is empty; expected ${expected.bytes} bytes`, {
        details,
      });
    }
    throw new TwinforgeError('DATASET_CORRUPT', `${file} is not a Parquet file (no leading PAR1 magic)`, { details });
  }
  const hasTrailer = size >= 12 && view.getUint32(size - 4, true) === MAGIC;
  if (!hasTrailer) {
    if (expected.footerOffset !== undefined && size === expected.footerOffset) {
      throw new TwinforgeError(
        'DATASET_MISSING_FOOTER',
        `${file} has no footer: it ends where the footer should start`,
        {
          details,
        },
      );
    }
    if (expected.bytes !== undefined && size < expected.bytes) {
      throw new TwinforgeError(
        'DATASET_TRUNCATED_FILE',
        `${file} is truncated: ${size} bytes of ${expected.bytes}; no footer can be read`,
        { details },
      );
    }
    throw new TwinforgeError('DATASET_MISSING_FOOTER', `${file} has no footer (no trailing PAR1 magic)`, { details });
  }
  const footerLength = view.getUint32(size - 8, true);
  const footerOffset = size - 8 - footerLength;
  if (footerOffset < 4) {
    throw new TwinforgeError(
      'DATASET_CORRUPT',
      `${file}: footer length ${footerLength} does not fit in a file of ${size} bytes`,
      { details: { ...details, footerLength } },
    );
  }
  if (expected.bytes !== undefined && size !== expected.bytes) {
    throw new TwinforgeError(
      size < expected.bytes ? 'DATASET_TRUNCATED_FILE' : 'DATASET_METADATA_MISMATCH',
      `${file} is ${size} bytes but the metadata records ${expected.bytes}`,
      { details },
    );
  }
  return { footerOffset, footerLength, size };
}
