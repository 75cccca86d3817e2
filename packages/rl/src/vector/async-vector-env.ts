import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type Info, type ResetOptions, TwinforgeError, validateConfig } from '@twinforge/core';
import { z } from 'zod';
import { spaceFromJSON } from '../spaces/from-json.js';
import type { Space, SpaceJSON } from '../spaces/space.js';
import { type ActionCodec, actionCodec } from './action-codec.js';
import { parseResetRequest } from './reset-request.js';
import { AUTORESET_MODES, type AutoresetMode, type VectorResetResult, type VectorStepResult } from './vector-types.js';
import { workerEntry } from './worker-entry.js';
import { resolveEnvSpecs, type WorkerEnvSpec } from './worker-env-spec.js';
import {
  ackSlot,
  type BuffersMessage,
  controlLength,
  type ErrorMessage,
  exitCodeSlot,
  exitedSlot,
  type InfosMessage,
  OP_CLOSE,
  OP_RESET,
  OP_STEP,
  opSlot,
  PENDING,
  type ResetMessage,
  type SerializedError,
  STATUS_ERROR,
  STATUS_MESSAGE,
  type StartupMessage,
  seqSlot,
  statusSlot,
  type WorkerInit,
} from './worker-protocol.js';

export interface AsyncVectorEnvOptions {
  autoresetMode?: AutoresetMode;
  /** Worker threads; sub-environments are split into contiguous slices. Default min(numEnvs, available cores). */
  numWorkers?: number;
}

const optionsSchema = z
  .object({
    autoresetMode: z.enum(AUTORESET_MODES as [AutoresetMode, ...AutoresetMode[]]).optional(),
    numWorkers: z.number().int().min(1).optional(),
  })
  .strict();

/** How long main sleeps between checks that no worker died while it waits (only matters for steps this slow). */
const LIVENESS_CHECK_MS = 200;

interface WorkerHandle {
  worker: Worker;
  /** Main's end of the synchronous side channel. */
  port: MessagePort;
  first: number;
  count: number;
  alive: boolean;
}

/**
 * SyncVectorEnv's API with the sub-environments spread over worker threads (Gymnasium's AsyncVectorEnv). The
 * sub-environments are built inside the workers from `WorkerEnvSpec`s (module + export + config), split into
 * contiguous slices, and step in parallel; observations, rewards, flags and actions live in SharedArrayBuffers
 * (struct-of-arrays) and each command is one Atomics barrier, so a step sends no message unless an info is
 * non-empty. `reset`/`step` block like SyncVectorEnv's and return the same results for the same seed and actions
 * (each worker runs the same SubEnvBatch loop on its slice). Output arrays are fresh copies; callers may keep them.
 *
 * Create with `await AsyncVectorEnv.create(specs, options)` and always `await close()`: live workers keep the
 * process running. A failure inside a worker (an env that throws, a worker that exits) is a WORKER_FAILED error
 * carrying the worker's message; the vector env is then unusable except for `close()`, as in Gymnasium.
 */
export class AsyncVectorEnv<O = unknown, A = unknown> {
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly autoresetMode: AutoresetMode;
  readonly #workers: WorkerHandle[];
  readonly #ctrl: Int32Array;
  readonly #obsDim: number;
  readonly #codec: ActionCodec;
  readonly #observations: Float32Array;
  readonly #rewards: Float64Array;
  readonly #terminations: Uint8Array;
  readonly #truncations: Uint8Array;
  readonly #actions: Float64Array;
  /** Sub-environments whose episode ended (tracked only to refuse stepping them in `disabled` mode). */
  readonly #ended: Uint8Array;
  #ready = false;
  #closing: Promise<void> | undefined;
  #failure: TwinforgeError | undefined;

  private constructor(
    workers: WorkerHandle[],
    ctrl: Int32Array,
    numEnvs: number,
    autoresetMode: AutoresetMode,
    observationSpace: SpaceJSON,
    actionSpace: SpaceJSON,
  ) {
    this.#workers = workers;
    this.#ctrl = ctrl;
    this.numEnvs = numEnvs;
    this.numWorkers = workers.length;
    this.autoresetMode = autoresetMode;
    this.singleObservationSpace = spaceFromJSON(observationSpace) as Space<O>;
    this.singleActionSpace = spaceFromJSON(actionSpace) as Space<A>;
    this.#obsDim = this.singleObservationSpace.flatdim;
    this.#codec = actionCodec(actionSpace);
    const n = numEnvs;
    this.#observations = new Float32Array(new SharedArrayBuffer(4 * n * this.#obsDim));
    this.#rewards = new Float64Array(new SharedArrayBuffer(8 * n));
    this.#terminations = new Uint8Array(new SharedArrayBuffer(n));
    this.#truncations = new Uint8Array(new SharedArrayBuffer(n));
    this.#actions = new Float64Array(new SharedArrayBuffer(8 * n * this.#codec.width));
    this.#ended = new Uint8Array(n);
    const buffers: BuffersMessage = {
      type: 'buffers',
      observations: this.#observations.buffer as SharedArrayBuffer,
      rewards: this.#rewards.buffer as SharedArrayBuffer,
      terminations: this.#terminations.buffer as SharedArrayBuffer,
      truncations: this.#truncations.buffer as SharedArrayBuffer,
      actions: this.#actions.buffer as SharedArrayBuffer,
    };
    for (const [w, h] of workers.entries()) {
      // Replaces startup()'s listeners, which stayed on so that no 'error' event ever finds no listener.
      h.worker.removeAllListeners('error');
      h.worker.removeAllListeners('exit');
      h.worker.on('error', (err) => this.#fail(w, { name: err.name, message: err.message, during: 'idle' }));
      h.worker.on('exit', (code) => {
        h.alive = false;
        if (this.#closing === undefined)
          this.#fail(w, { name: 'Error', message: `exited with code ${code}`, during: 'idle' });
      });
      h.worker.postMessage(buffers);
    }
  }

  /**
   * Starts the workers and builds every sub-environment (spec i is sub-environment i). Rejects with CONFIG_INVALID
   * for a bad spec or option, and WORKER_FAILED when a module, export or factory fails in a worker; no worker is
   * left running then.
   */
  static async create<O = unknown, A = unknown>(
    envs: readonly WorkerEnvSpec[],
    options: AsyncVectorEnvOptions = {},
  ): Promise<AsyncVectorEnv<O, A>> {
    const specs = resolveEnvSpecs(envs);
    const opts = validateConfig(optionsSchema, options, 'AsyncVectorEnv options');
    const n = specs.length;
    const numWorkers = opts.numWorkers ?? Math.min(n, availableParallelism());
    if (numWorkers > n) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `invalid AsyncVectorEnv options: numWorkers: ${numWorkers} > ${n} envs`,
        {
          details: { fields: ['numWorkers'] },
        },
      );
    }
    const autoresetMode = opts.autoresetMode ?? 'next-step';
    const control = new SharedArrayBuffer(4 * controlLength(numWorkers));
    const entry = workerEntry();
    const handles: WorkerHandle[] = [];
    const starts: Promise<StartupMessage & { type: 'ready' }>[] = [];
    try {
      for (let w = 0; w < numWorkers; w++) {
        const first = Math.floor((w * n) / numWorkers);
        const count = Math.floor(((w + 1) * n) / numWorkers) - first;
        const { port1, port2 } = new MessageChannel();
        const init: WorkerInit = {
          workerIndex: w,
          firstIndex: first,
          specs: specs.slice(first, first + count),
          autoresetMode,
          control,
          port: port2,
        };
        let worker: Worker;
        try {
          worker = new Worker(entry.filename, { eval: entry.eval, workerData: init, transferList: [port2] });
        } catch (err) {
          port1.close();
          if ((err as Error).name !== 'DataCloneError') throw err;
          throw new TwinforgeError(
            'CONFIG_INVALID',
            `invalid AsyncVectorEnv envs: a config of envs ${first}..${first + count - 1} cannot be sent to a worker ` +
              `(${(err as Error).message}); configs must be structured-cloneable data`,
            { cause: err },
          );
        }
        handles.push({ worker, port: port1, first, count, alive: true });
        starts.push(startup(worker, w, first, count));
      }
      const ready = await Promise.all(starts);
      const obs = ready[0]?.observationSpace as SpaceJSON;
      const act = ready[0]?.actionSpace as SpaceJSON;
      for (const r of ready) {
        if (JSON.stringify(r.observationSpace) !== JSON.stringify(obs)) {
          throw new TwinforgeError('INVALID_ARGUMENT', 'all sub-environments must share one observation space');
        }
        if (JSON.stringify(r.actionSpace) !== JSON.stringify(act)) {
          throw new TwinforgeError('INVALID_ARGUMENT', 'all sub-environments must share one action space');
        }
      }
      return new AsyncVectorEnv<O, A>(handles, new Int32Array(control), n, autoresetMode, obs, act);
    } catch (err) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      for (const h of handles) h.port.close();
      throw err;
    }
  }

  /** Worker threads not yet exited: numWorkers until `close()`, 0 after it resolves. */
  get liveWorkers(): number {
    return this.#workers.filter((h) => h.alive).length;
  }

  /**
   * Resets every sub-environment (sub-environment i seeded `seed + i`), or with `options.resetMask` only the
   * masked ones; unmasked rows are zero and their infos empty. Options must be structured-cloneable.
   */
  reset(options: ResetOptions = {}): VectorResetResult {
    this.#assertUsable();
    const request = parseResetRequest(options, this.numEnvs);
    try {
      structuredClone(request.options);
    } catch (err) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `reset options cannot be sent to a worker: ${(err as Error).message}`,
      );
    }
    for (const h of this.#workers) {
      const mask = request.mask?.slice(h.first, h.first + h.count);
      const message: ResetMessage = { type: 'reset', request: { ...request, mask } };
      h.port.postMessage(message);
    }
    const infos = this.#run(OP_RESET, 'reset');
    for (let i = 0; i < this.numEnvs; i++) if (request.mask === undefined || request.mask[i]) this.#ended[i] = 0;
    this.#ready = true;
    return { observations: this.#observations.slice(), infos };
  }

  step(actions: readonly A[]): VectorStepResult {
    this.#assertUsable();
    if (!this.#ready) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    const n = this.numEnvs;
    if (actions.length !== n) {
      throw new TwinforgeError('ENV_INVALID_ACTION', `expected ${n} actions, got ${actions.length}`);
    }
    const disabled = this.autoresetMode === 'disabled';
    if (disabled) {
      // Checked before any worker moves, so a refused step changes nothing (SyncVectorEnv steps the envs before i).
      const i = this.#ended.indexOf(1);
      if (i >= 0)
        throw new TwinforgeError('ENV_NOT_RESET', `sub-environment ${i} has ended; reset it with a resetMask`);
    }
    const codec = this.#codec;
    const width = codec.width;
    for (let i = 0; i < n; i++) {
      try {
        codec.encode(actions[i], this.#actions, i * width);
      } catch (err) {
        throw new TwinforgeError('ENV_INVALID_ACTION', `actions[${i}]: ${(err as Error).message}`, { cause: err });
      }
    }
    const infos = this.#run(OP_STEP, 'step');
    const terminations = this.#terminations.slice();
    const truncations = this.#truncations.slice();
    if (disabled) for (let i = 0; i < n; i++) this.#ended[i] = terminations[i]! | truncations[i]!;
    return {
      observations: this.#observations.slice(),
      rewards: this.#rewards.slice(),
      terminations,
      truncations,
      infos,
    };
  }

  /**
   * Closes every sub-environment in its worker and terminates the workers; idempotent. After a worker failure the
   * sub-environments are not closed (their state is unknown), the workers are still terminated.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    let error: unknown;
    if (this.#failure === undefined) {
      try {
        this.#run(OP_CLOSE, 'close');
      } catch (err) {
        error = err;
      }
    }
    await Promise.all(this.#workers.map((h) => h.worker.terminate()));
    for (const h of this.#workers) h.port.close();
    if (error !== undefined) throw error;
  }

  #assertUsable(): void {
    if (this.#closing !== undefined) {
      throw new TwinforgeError('ENV_CLOSED', 'this AsyncVectorEnv is closed; create a new one');
    }
    if (this.#failure !== undefined) {
      throw new TwinforgeError(
        'WORKER_FAILED',
        `this AsyncVectorEnv failed earlier (${this.#failure.message}); close() it and create a new one`,
        { cause: this.#failure, details: this.#failure.details },
      );
    }
  }

  /** One barrier: every worker runs `op` on its slice; returns the infos (empty objects unless a worker sent some). */
  #run(op: number, what: string): Info[] {
    const ctrl = this.#ctrl;
    const workers = this.#workers;
    for (let w = 0; w < workers.length; w++) {
      if (Atomics.load(ctrl, exitedSlot(w)) === 1) throw this.#fail(w, this.#deathOf(w, what));
    }
    Atomics.store(ctrl, PENDING, workers.length);
    for (let w = 0; w < workers.length; w++) {
      Atomics.store(ctrl, opSlot(w), op);
      Atomics.add(ctrl, seqSlot(w), 1);
      Atomics.notify(ctrl, seqSlot(w));
    }
    for (;;) {
      const pending = Atomics.load(ctrl, PENDING);
      if (pending === 0) break;
      Atomics.wait(ctrl, PENDING, pending, LIVENESS_CHECK_MS);
      if (Atomics.load(ctrl, PENDING) === 0) break;
      for (let w = 0; w < workers.length; w++) {
        // Read `exited` before `ack`: a worker stores its ack before it exits (OP_CLOSE), so once exited = 1 is seen
        // the ack is visible too. The other order raced: ack read as pending, then the worker acked and exited, and
        // a clean close was reported as a death (seen once in CI).
        if (Atomics.load(ctrl, exitedSlot(w)) !== 1) continue;
        if (Atomics.load(ctrl, ackSlot(w)) !== Atomics.load(ctrl, seqSlot(w)))
          throw this.#fail(w, this.#deathOf(w, what));
      }
    }
    const infos: Info[] = new Array(this.numEnvs);
    for (let i = 0; i < infos.length; i++) infos[i] = {};
    let failed: [number, SerializedError] | undefined;
    for (let w = 0; w < workers.length; w++) {
      const status = Atomics.load(ctrl, statusSlot(w));
      if (status !== STATUS_MESSAGE && status !== STATUS_ERROR) continue;
      // Drain the port even after a failure elsewhere, so no message is left for a later call to misread.
      const msg = receiveMessageOnPort((workers[w] as WorkerHandle).port)?.message as
        | InfosMessage
        | ErrorMessage
        | undefined;
      if (msg?.type === 'infos') for (const [i, info] of msg.entries) infos[i] = info;
      else if (msg?.type === 'error') failed ??= [w, msg.error];
      else failed ??= [w, { name: 'Error', message: `sent no message after ${what} (protocol error)`, during: what }];
    }
    if (failed !== undefined) throw this.#fail(failed[0], failed[1]);
    return infos;
  }

  #deathOf(w: number, what: string): SerializedError {
    const code = Atomics.load(this.#ctrl, exitCodeSlot(w));
    return { name: 'Error', message: `the worker thread exited (code ${code})`, during: what };
  }

  /** Records the first failure (later calls refuse to run) and returns the error to throw. */
  #fail(w: number, e: SerializedError): TwinforgeError {
    const h = this.#workers[w] as WorkerHandle;
    const where = e.subEnv === undefined ? '' : `sub-environment ${e.subEnv} `;
    const code = e.code === undefined ? '' : `[${e.code}] `;
    const cause = new Error(e.message);
    if (e.stack !== undefined) cause.stack = e.stack;
    const error = new TwinforgeError(
      'WORKER_FAILED',
      `AsyncVectorEnv worker ${w} (sub-environments ${h.first}..${h.first + h.count - 1}): ${where}failed in ` +
        `${e.during}: ${code}${e.message}`,
      {
        cause,
        details: {
          worker: w,
          during: e.during,
          ...(e.subEnv === undefined ? {} : { subEnv: e.subEnv }),
          ...(e.code === undefined ? {} : { code: e.code }),
        },
      },
    );
    this.#failure ??= error;
    return error;
  }
}

/** Resolves with the worker's `ready` message; rejects with WORKER_FAILED if it fails, errors or exits first. */
function startup(worker: Worker, w: number, first: number, count: number): Promise<StartupMessage & { type: 'ready' }> {
  const where = `AsyncVectorEnv worker ${w} (sub-environments ${first}..${first + count - 1})`;
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: StartupMessage) => {
      if (m.type === 'ready') {
        // Keep 'error' and 'exit' handled while other workers are still starting (rejecting is then a no-op; a
        // worker that dies now is caught by the liveness checks of the first command).
        worker.off('message', onMessage);
        resolve(m);
        return;
      }
      done();
      const code = m.error.code === undefined ? '' : `[${m.error.code}] `;
      const cause = new Error(m.error.message);
      if (m.error.stack !== undefined) cause.stack = m.error.stack;
      reject(
        new TwinforgeError('WORKER_FAILED', `${where} failed to start: ${code}${m.error.message}`, {
          cause,
          details: { worker: w, during: 'start', ...(m.error.code === undefined ? {} : { code: m.error.code }) },
        }),
      );
    };
    const onError = (err: Error) => {
      done();
      reject(new TwinforgeError('WORKER_FAILED', `${where} failed to start: ${err.message}`, { cause: err }));
    };
    const onExit = (code: number) => {
      done();
      reject(new TwinforgeError('WORKER_FAILED', `${where} exited with code ${code} before it was ready`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
