/**
 * Small integer hashes used to derive generator states from (seed, path).
 * They only use 32-bit integer operations (Math.imul, shifts), so results are identical on every platform.
 */

/** FNV-1a over the UTF-16 code units of a string. */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The murmur3 finaliser: a bijective avalanche mix of a 32-bit word. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Expands one 32-bit word into `n` well-mixed words (a splitmix-style sequence). */
export function expand32(word: number, n: number): number[] {
  const out: number[] = [];
  let s = word >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    out.push(fmix32(s ^ fmix32(i + 1)));
  }
  return out;
}
