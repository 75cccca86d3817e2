import { TwinforgeError } from '@twinforge/core';
import type { SpaceJSON } from '../spaces/space.js';

/**
 * Moves one action through shared memory as float64 numbers: a Discrete action is one number, a Box its float32
 * entries, MultiDiscrete / MultiBinary their integers, Dict (sorted keys) and Tuple the concatenation of their
 * parts. Float64 holds float32, int32 and int8 values exactly, so the worker's env receives the very value the
 * caller passed, in the array type the space prescribes. Unlike `flatten` (one-hot for discrete parts) this
 * checks structure only, never bounds: an out-of-range action reaches the env, which decides, as in
 * SyncVectorEnv. Built from the space's JSON so both threads agree even when they load different copies of the
 * space classes.
 */
export interface ActionCodec {
  /** Numbers per action. */
  readonly width: number;
  encode(value: unknown, out: Float64Array, offset: number): void;
  decode(buf: Float64Array, offset: number): unknown;
}

export function actionCodec(json: SpaceJSON): ActionCodec {
  switch (json.type) {
    case 'Discrete':
      return {
        width: 1,
        encode(value, out, offset) {
          if (typeof value !== 'number') invalid(`a Discrete action must be a number, got ${describe(value)}`);
          out[offset] = value;
        },
        decode: (buf, offset) => buf[offset] as number,
      };
    case 'Box':
      return typedCodec(
        json.shape.reduce((a, b) => a * b, 1),
        Float32Array,
        'Box',
      );
    case 'MultiDiscrete':
      return typedCodec(json.nvec.length, Int32Array, 'MultiDiscrete');
    case 'MultiBinary':
      return typedCodec(json.n, Int8Array, 'MultiBinary');
    case 'Tuple': {
      const parts = json.spaces.map(actionCodec);
      return {
        width: parts.reduce((a, p) => a + p.width, 0),
        encode(value, out, offset) {
          if (!Array.isArray(value) || value.length !== parts.length) {
            invalid(`a Tuple action must be an array of ${parts.length}, got ${describe(value)}`);
          }
          let o = offset;
          for (const [i, p] of parts.entries()) {
            p.encode(value[i], out, o);
            o += p.width;
          }
        },
        decode(buf, offset) {
          let o = offset;
          return parts.map((p) => {
            const v = p.decode(buf, o);
            o += p.width;
            return v;
          });
        },
      };
    }
    case 'Dict': {
      const keys = Object.keys(json.spaces).sort();
      const parts = keys.map((k) => actionCodec(json.spaces[k] as SpaceJSON));
      return {
        width: parts.reduce((a, p) => a + p.width, 0),
        encode(value, out, offset) {
          if (typeof value !== 'object' || value === null) {
            invalid(`a Dict action must be an object, got ${describe(value)}`);
          }
          let o = offset;
          for (const [i, p] of parts.entries()) {
            p.encode((value as Record<string, unknown>)[keys[i] as string], out, o);
            o += p.width;
          }
        },
        decode(buf, offset) {
          const out: Record<string, unknown> = {};
          let o = offset;
          for (const [i, p] of parts.entries()) {
            out[keys[i] as string] = p.decode(buf, o);
            o += p.width;
          }
          return out;
        },
      };
    }
  }
}

type TypedCtor = Float32ArrayConstructor | Int32ArrayConstructor | Int8ArrayConstructor;

function typedCodec(width: number, Ctor: TypedCtor, what: string): ActionCodec {
  return {
    width,
    encode(value, out, offset) {
      if (!(value instanceof Ctor) || value.length !== width) {
        invalid(`a ${what} action must be a ${Ctor.name} of length ${width}, got ${describe(value)}`);
      }
      for (let i = 0; i < width; i++) out[offset + i] = value[i] as number;
    },
    decode(buf, offset) {
      const v = new Ctor(width);
      for (let i = 0; i < width; i++) v[i] = buf[offset + i] as number;
      return v;
    },
  };
}

function invalid(message: string): never {
  throw new TwinforgeError('ENV_INVALID_ACTION', message);
}

function describe(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  return v === null ? 'null' : typeof v;
}
