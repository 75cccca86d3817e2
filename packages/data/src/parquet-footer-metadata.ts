import { TwinforgeError } from '@twinforge/core';
import type { FooterLocation } from './parquet-footer.js';

/** What the Parquet footer (Thrift FileMetaData, compact protocol) says about the file. */
export interface FooterMetadata {
  rows: number;
  metadata: Map<string, string>;
}

/**
 * Decodes `num_rows` (field 3) and `key_value_metadata` (field 5) from a Parquet footer with a minimal Thrift
 * compact-protocol reader, independently of parquet-wasm: the writer's row-count check then does not trust the
 * library that produced the bytes, and a large file is not copied into wasm memory just to read its footer.
 */
export function readFooterMetadata(bytes: Uint8Array, location: FooterLocation, file: string): FooterMetadata {
  const r = new CompactReader(bytes, location.footerOffset, location.footerOffset + location.footerLength, file);
  let rows: number | undefined;
  const metadata = new Map<string, string>();
  let last = 0;
  for (;;) {
    const header = r.byte();
    if (header === 0) break;
    const type = header & 0x0f;
    const delta = header >> 4;
    const id = delta === 0 ? r.zigzag() : last + delta;
    last = id;
    if (id === 3 && type === 6) rows = r.zigzag();
    else if (id === 5 && type === 9) {
      const { size, elem } = r.listHeader();
      for (let i = 0; i < size; i++) {
        if (elem !== 12) r.skip(elem);
        else {
          let key = '';
          let value = '';
          let kvLast = 0;
          for (;;) {
            const h = r.byte();
            if (h === 0) break;
            const t = h & 0x0f;
            const fid = h >> 4 === 0 ? r.zigzag() : kvLast + (h >> 4);
            kvLast = fid;
            if ((fid === 1 || fid === 2) && t === 8) {
              const s = r.string();
              if (fid === 1) key = s;
              else value = s;
            } else r.skip(t);
          }
          metadata.set(key, value);
        }
      }
    } else r.skip(type);
  }
  if (rows === undefined) {
    throw new TwinforgeError('DATASET_CORRUPT', `${file}: the footer has no row count`, { details: { file } });
  }
  return { rows, metadata };
}

class CompactReader {
  #pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    readonly file: string,
  ) {
    this.#pos = start;
  }

  byte(): number {
    if (this.#pos >= this.end) {
      throw new TwinforgeError('DATASET_CORRUPT', `${this.file}: the footer ends in the middle of a value`, {
        details: { file: this.file },
      });
    }
    return this.bytes[this.#pos++] as number;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  string(): string {
    const n = this.varint();
    if (this.#pos + n > this.end) this.byte();
    const s = new TextDecoder().decode(this.bytes.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return s;
  }

  listHeader(): { size: number; elem: number } {
    const h = this.byte();
    const short = h >> 4;
    return { size: short === 15 ? this.varint() : short, elem: h & 0x0f };
  }

  skip(type: number): void {
    switch (type) {
      case 1:
      case 2:
        return; // booleans live in the field header
      case 3:
        this.byte();
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.#pos += 8;
        return;
      case 8: {
        const n = this.varint(); // read before updating #pos: `#pos += varint()` would use the old position
        this.#pos += n;
        return;
      }
      case 9:
      case 10: {
        const { size, elem } = this.listHeader();
        for (let i = 0; i < size; i++) {
          if (elem === 1 || elem === 2) this.byte();
          else this.skip(elem);
        }
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 0x0f);
        }
        return;
      }
      case 12: {
        for (;;) {
          const h = this.byte();
          if (h === 0) return;
          if (h >> 4 === 0) this.zigzag();
          this.skip(h & 0x0f);
        }
      }
      default:
        throw new TwinforgeError('DATASET_CORRUPT', `${this.file}: unknown Thrift type ${type} in the footer`, {
          details: { file: this.file },
        });
    }
  }
}
