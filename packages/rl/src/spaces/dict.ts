import { type Rng, TwinforgeError } from '@twinforge/core';
import { type FlatArray, Space, type SpaceJSON, type SpaceValue } from './space.js';

export type DictValue<S extends Record<string, Space<unknown>>> = { [K in keyof S]: SpaceValue<S[K]> };

/**
 * Named sub-spaces. Keys are sorted, as in Gymnasium, so the flat layout does not depend on the order an object
 * literal happened to list them in (a dataset written by one process must unflatten the same in another).
 */
export class Dict<S extends Record<string, Space<unknown>> = Record<string, Space<unknown>>> extends Space<
  DictValue<S>
> {
  readonly spaces: Readonly<S>;
  readonly keys: readonly string[];
  readonly flatdim: number;

  constructor(spaces: S) {
    super();
    this.keys = Object.keys(spaces).sort();
    for (const k of this.keys) {
      if (!(spaces[k] instanceof Space)) {
        throw new TwinforgeError('INVALID_ARGUMENT', `Dict entry '${k}' is not a space`);
      }
    }
    this.spaces = Object.freeze({ ...spaces });
    this.flatdim = this.keys.reduce((a, k) => a + (spaces[k] as Space<unknown>).flatdim, 0);
  }

  #space(k: string): Space<unknown> {
    return this.spaces[k] as Space<unknown>;
  }

  sample(rng: Rng): DictValue<S> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.#space(k).sample(rng);
    return out as DictValue<S>;
  }

  contains(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const v = value as Record<string, unknown>;
    if (Object.keys(v).length !== this.keys.length) return false;
    for (const k of this.keys) {
      if (!Object.hasOwn(v, k) || !this.#space(k).contains(v[k])) return false;
    }
    return true;
  }

  flattenInto(value: DictValue<S>, out: FlatArray, offset: number): void {
    let o = offset;
    for (const k of this.keys) {
      const s = this.#space(k);
      s.flattenInto((value as Record<string, unknown>)[k], out, o);
      o += s.flatdim;
    }
  }

  unflattenFrom(flat: ArrayLike<number>, offset: number): DictValue<S> {
    const out: Record<string, unknown> = {};
    let o = offset;
    for (const k of this.keys) {
      const s = this.#space(k);
      out[k] = s.unflattenFrom(flat, o);
      o += s.flatdim;
    }
    return out as DictValue<S>;
  }

  toJSON() {
    const spaces: Record<string, SpaceJSON> = {};
    for (const k of this.keys) spaces[k] = this.#space(k).toJSON();
    return { type: 'Dict' as const, spaces };
  }
}
