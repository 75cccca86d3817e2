import { type Rng, TwinforgeError } from '@twinforge/core';
import { type FlatArray, Space, type SpaceValue } from './space.js';

export type TupleValue<S extends readonly Space<unknown>[]> = { -readonly [K in keyof S]: SpaceValue<S[K]> };

/** An ordered list of sub-spaces; values are arrays of the same length, flattened in order. */
export class Tuple<S extends readonly Space<unknown>[] = readonly Space<unknown>[]> extends Space<TupleValue<S>> {
  readonly spaces: S;
  readonly flatdim: number;

  constructor(spaces: S) {
    super();
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new TwinforgeError('INVALID_ARGUMENT', `Tuple entry ${i} is not a space`);
    });
    this.spaces = Object.freeze([...spaces]) as unknown as S;
    this.flatdim = spaces.reduce((a, s) => a + s.flatdim, 0);
  }

  sample(rng: Rng): TupleValue<S> {
    return this.spaces.map((s) => s.sample(rng)) as TupleValue<S>;
  }

  contains(value: unknown): boolean {
    if (!Array.isArray(value) || value.length !== this.spaces.length) return false;
    return this.spaces.every((s, i) => s.contains(value[i]));
  }

  flattenInto(value: TupleValue<S>, out: FlatArray, offset: number): void {
    let o = offset;
    this.spaces.forEach((s, i) => {
      s.flattenInto((value as unknown[])[i], out, o);
      o += s.flatdim;
    });
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): TupleValue<S> {
    let o = offset;
    return this.spaces.map((s) => {
      const v = s.unflattenFrom(flat, o);
      o += s.flatdim;
      return v;
    }) as TupleValue<S>;
  }

  toJSON() {
    return { type: 'Tuple' as const, spaces: this.spaces.map((s) => s.toJSON()) };
  }
}
