import type { MessagePort } from 'node:worker_threads';
import type { Info } from '@twinforge/core';
import type { SpaceJSON } from '../spaces/space.js';
import type { ResetRequest } from './reset-request.js';
import type { AutoresetMode } from './vector-types.js';

/*
 * The contract between AsyncVectorEnv (main thread) and its workers.
 *
 * Start-up is message based (module loading is asynchronous anyway): workerData → `ready` or `failed` →
 * `buffers`. After that every command is a barrier over one shared Int32Array, so a step costs no message and no
 * copy: main writes the actions into shared memory, stores PENDING = numWorkers, and for each worker stores the
 * op and bumps its SEQ (Atomics.notify). A worker blocked in Atomics.wait on its SEQ runs the op on its slice,
 * writes its rows of the shared result arrays, stores its STATUS, decrements PENDING, and the last one notifies
 * main, which is blocked in Atomics.wait on PENDING. Atomics are sequentially consistent, so the plain writes to
 * the data buffers made before a decrement are visible to main once it reads PENDING = 0.
 * The rare payloads that do not fit typed rows (reset options, non-empty infos, errors) travel on a
 * MessageChannel that neither side listens on: each reads it synchronously with receiveMessageOnPort right after
 * the barrier, so no event loop has to turn while main is blocked.
 */

export const OP_STEP = 1;
export const OP_RESET = 2;
export const OP_CLOSE = 3;

export const STATUS_OK = 0;
/** Done, and a message (infos) waits on the port. */
export const STATUS_MESSAGE = 1;
/** Failed; an ErrorMessage waits on the port. */
export const STATUS_ERROR = 2;

/** Int32 slot of the number of workers still running the current op. */
export const PENDING = 0;
const HEADER = 1;
const STRIDE = 6;
/** Bumped by main to hand the worker a command; the worker waits on it. */
export const seqSlot = (w: number) => HEADER + STRIDE * w;
export const opSlot = (w: number) => HEADER + STRIDE * w + 1;
export const statusSlot = (w: number) => HEADER + STRIDE * w + 2;
/** The last SEQ the worker finished: tells a worker that exited after its part (OP_CLOSE) from one that died. */
export const ackSlot = (w: number) => HEADER + STRIDE * w + 3;
/** 1 once the worker thread is exiting (set from its `process.on('exit')`), with its code in EXIT_CODE. */
export const exitedSlot = (w: number) => HEADER + STRIDE * w + 4;
export const exitCodeSlot = (w: number) => HEADER + STRIDE * w + 5;
export const controlLength = (numWorkers: number) => HEADER + STRIDE * numWorkers;

/** A sub-environment factory a worker can import; see WorkerEnvSpec for the public form. */
export interface ResolvedEnvSpec {
  /** An import specifier: a package name or a URL (relative paths were rejected on the main thread). */
  module: string;
  export: string;
  /** Present (and passed to the factory) only when the caller gave one. */
  config?: unknown;
}

export interface WorkerInit {
  workerIndex: number;
  /** Global index of the worker's first sub-environment. */
  firstIndex: number;
  specs: ResolvedEnvSpec[];
  autoresetMode: AutoresetMode;
  control: SharedArrayBuffer;
  /** The synchronous side channel (the worker's end). */
  port: MessagePort;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** Global index of the sub-environment that threw, when known. */
  subEnv?: number;
  /** What the worker was doing: 'start', 'step', 'reset' or 'close'. */
  during: string;
}

export type StartupMessage =
  | { type: 'ready'; observationSpace: SpaceJSON; actionSpace: SpaceJSON }
  | { type: 'failed'; error: SerializedError };

export interface BuffersMessage {
  type: 'buffers';
  observations: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  terminations: SharedArrayBuffer;
  truncations: SharedArrayBuffer;
  actions: SharedArrayBuffer;
}

/** Main → worker before OP_RESET; `request.mask` is already cut to the worker's slice. */
export interface ResetMessage {
  type: 'reset';
  request: ResetRequest;
}

/** Worker → main after an op that produced non-empty infos: flat pairs of global index and info. */
export interface InfosMessage {
  type: 'infos';
  entries: [number, Info][];
}

export interface ErrorMessage {
  type: 'error';
  error: SerializedError;
}

/** Plain data a structured clone keeps: TwinforgeError's code survives, the class does not. */
export function serializeError(err: unknown, during: string, subEnv?: number): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(e.stack === undefined ? {} : { stack: e.stack }),
    ...(subEnv === undefined ? {} : { subEnv }),
    during,
  };
}
