import { Box } from './box.js';
import { Dict } from './dict.js';
import type { Space } from './space.js';
import { Tuple } from './tuple.js';

/**
 * The Box that `flatten` maps a space into, as Gymnasium's `flatten_space`: Box bounds are kept, discrete parts
 * become [0, 1] entries (one-hot or bits), Dict and Tuple concatenate their children in flatten order.
 */
export function flattenSpace(space: Space<unknown>): Box {
  const low = new Float32Array(space.flatdim);
  const high = new Float32Array(space.flatdim);
  fillBounds(space, low, high, 0);
  return new Box(low, high, { shape: [space.flatdim] });
}

function fillBounds(space: Space<unknown>, low: Float32Array, high: Float32Array, offset: number): void {
  if (space instanceof Box) {
    low.set(space.low, offset);
    high.set(space.high, offset);
    return;
  }
  let children: readonly Space<unknown>[] | undefined;
  if (space instanceof Tuple) children = space.spaces;
  else if (space instanceof Dict) children = space.keys.map((k) => space.spaces[k] as Space<unknown>);
  if (children === undefined) {
    high.fill(1, offset, offset + space.flatdim);
    return;
  }
  let o = offset;
  for (const c of children) {
    fillBounds(c, low, high, o);
    o += c.flatdim;
  }
}
