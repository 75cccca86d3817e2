import { type Data, Int64, makeData, Utf8 } from 'apache-arrow';

// Arrow columns built from the builder's typed arrays without a per-row object or BigInt.

/** Whether this platform stores a BigInt64 as (low uint32, high uint32), which lets int64 columns skip BigInt. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * An int64 column of the `n` safe integers `source[from..from+n)` (doubles or int32), or of `from, from+1, …` without
 * a source. Written as two uint32 words per value (two's complement, so negative discrete actions work too) into a
 * zeroed array, so no BigInt is allocated per row and the high word is only touched for values outside [0, 2^32).
 * Each source type has its own loop: one loop over both was several times slower (polymorphic element loads).
 */
export function int64Column(n: number, source: Float64Array | Int32Array | undefined, from: number): Data<Int64> {
  const out = new BigInt64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let r = 0; r < n; r++) out[r] = BigInt(source ? (source[from + r] as number) : from + r);
    return makeData({ type: new Int64(), length: n, data: out });
  }
  const words = new Uint32Array(out.buffer);
  if (source === undefined) {
    for (let r = 0; r < n; r++) setInt64(words, r, from + r);
  } else if (source instanceof Int32Array) {
    for (let r = 0; r < n; r++) {
      const v = source[from + r] as number;
      words[2 * r] = v;
      if (v < 0) words[2 * r + 1] = 0xffffffff;
    }
  } else {
    for (let r = 0; r < n; r++) setInt64(words, r, source[from + r] as number);
  }
  return makeData({ type: new Int64(), length: n, data: out });
}

/** Writes the safe integer `v` as int64 number `r` of a zeroed little-endian word array. */
function setInt64(words: Uint32Array, r: number, v: number): void {
  if (v >= 0 && v < 4294967296) words[2 * r] = v;
  else {
    words[2 * r] = v >>> 0; // ToUint32 is v mod 2^32 for any integer-valued double
    words[2 * r + 1] = Math.floor(v / 4294967296) >>> 0;
  }
}

/**
 * A Utf8 column from interned strings: each distinct string is encoded once; a run of rows with the same string (one
 * agent's trajectory, one scenario) is filled by copying its first copy onto itself in doubling lengths, so the cost
 * is a few memcpy calls per run instead of a loop per byte.
 */
export function utf8(values: readonly string[], ids: Int32Array, n: number): Data<Utf8> {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => encoder.encode(v));
  const lengths = Int32Array.from(encoded, (e) => e.length);
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += lengths[ids[r] as number] as number;
    offsets[r + 1] = total;
  }
  const bytes = new Uint8Array(total);
  let r = 0;
  while (r < n) {
    const id = ids[r] as number;
    let end = r + 1;
    while (end < n && ids[end] === id) end++;
    const start = offsets[r] as number;
    const stop = offsets[end] as number;
    bytes.set(encoded[id] as Uint8Array, start);
    for (let filled = lengths[id] as number; filled > 0 && start + filled < stop; filled *= 2) {
      bytes.copyWithin(start + filled, start, Math.min(start + filled, stop - filled));
    }
    r = end;
  }
  return makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes });
}
