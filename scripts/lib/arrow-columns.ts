import {
  type Data,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
} from 'apache-arrow';

/**
 * Column-wise builder of one Arrow record batch for plain tables (not trajectories): int64, float64, utf8 and
 * FixedSizeList<float32, width> columns, each optionally nullable (undefined / null values become nulls).
 */
export type ColumnKind = { kind: 'int64' } | { kind: 'float64' } | { kind: 'utf8' } | { kind: 'vector'; width: number };

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnKind;
  readonly nullable?: boolean;
  /** What the column holds; goes into meta/info.json. */
  readonly description: string;
}

type Value = number | string | Float32Array | null | undefined;

export class TableBuilder {
  readonly #specs: readonly ColumnSpec[];
  readonly #values: Value[][];

  constructor(specs: readonly ColumnSpec[]) {
    this.#specs = specs;
    this.#values = specs.map(() => []);
  }

  get rows(): number {
    return this.#values[0]?.length ?? 0;
  }

  add(row: Record<string, Value>): void {
    this.#specs.forEach((spec, c) => {
      const v = row[spec.name];
      if ((v === undefined || v === null) && !spec.nullable) throw new Error(`column ${spec.name} is not nullable`);
      if (spec.type.kind === 'vector' && v != null && (v as Float32Array).length !== spec.type.width) {
        throw new Error(`column ${spec.name} needs ${spec.type.width} values, got ${(v as Float32Array).length}`);
      }
      (this.#values[c] as Value[]).push(v);
    });
  }

  schema(metadata?: Map<string, string>): Schema {
    return new Schema(
      this.#specs.map((s) => new Field(s.name, arrowType(s.type), s.nullable ?? false)),
      metadata,
    );
  }

  batch(schema = this.schema()): RecordBatch {
    const n = this.rows;
    const children: Data[] = this.#specs.map((spec, c) => column(spec, this.#values[c] as Value[], n));
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children }));
  }
}

function arrowType(t: ColumnKind) {
  switch (t.kind) {
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'utf8':
      return new Utf8();
    case 'vector':
      return new FixedSizeList(t.width, new Field('item', new Float32(), false));
  }
}

function validity(values: Value[]): { nullBitmap?: Uint8Array; nullCount: number } {
  let nulls = 0;
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bits, nullCount: nulls };
}

function column(spec: ColumnSpec, values: Value[], n: number): Data {
  const valid = validity(values);
  switch (spec.type.kind) {
    case 'int64': {
      const data = new BigInt64Array(n);
      values.forEach((v, i) => {
        data[i] = BigInt(typeof v === 'number' ? v : 0);
      });
      return makeData({ type: new Int64(), length: n, data, ...valid });
    }
    case 'float64': {
      const data = new Float64Array(n);
      values.forEach((v, i) => {
        data[i] = typeof v === 'number' ? v : 0;
      });
      return makeData({ type: new Float64(), length: n, data, ...valid });
    }
    case 'utf8': {
      const enc = new TextEncoder();
      const parts = values.map((v) => enc.encode(typeof v === 'string' ? v : ''));
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => {
        offsets[i + 1] = (offsets[i] as number) + p.length;
      });
      const bytes = new Uint8Array(offsets[n] as number);
      for (const [i, p] of parts.entries()) bytes.set(p, offsets[i] as number);
      return makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes, ...valid });
    }
    case 'vector': {
      const width = spec.type.width;
      const flat = new Float32Array(Math.max(1, n * width));
      values.forEach((v, i) => {
        if (v instanceof Float32Array) flat.set(v, i * width);
      });
      const child = makeData({ type: new Float32(), length: n * width, data: flat.subarray(0, n * width) });
      return makeData({ type: arrowType(spec.type) as FixedSizeList<Float32>, length: n, child, ...valid });
    }
  }
}
