// Entry of an AsyncVectorEnv worker thread: builds its slice of sub-environments, then serves commands over shared
// memory until OP_CLOSE. The protocol is described in worker-protocol.ts.
import { once } from 'node:events';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Info } from '@twinforge/core';
import type { SpaceJSON } from '../spaces/space.js';
import { actionCodec } from './action-codec.js';
import { loadEnvs } from './load-env.js';
import { type BatchRows, SubEnvBatch } from './sub-env-batch.js';
import {
  ackSlot,
  type BuffersMessage,
  exitCodeSlot,
  exitedSlot,
  type InfosMessage,
  OP_CLOSE,
  OP_RESET,
  OP_STEP,
  opSlot,
  PENDING,
  type ResetMessage,
  STATUS_ERROR,
  STATUS_MESSAGE,
  STATUS_OK,
  type StartupMessage,
  seqSlot,
  serializeError,
  statusSlot,
  type WorkerInit,
} from './worker-protocol.js';

const OP_NAMES: Record<number, string> = { [OP_STEP]: 'step', [OP_RESET]: 'reset', [OP_CLOSE]: 'close' };

async function main(init: WorkerInit, parent: MessagePort): Promise<void> {
  const ctrl = new Int32Array(init.control);
  const w = init.workerIndex;
  // Main may be blocked in Atomics.wait and cannot see an 'exit' event: say so in shared memory (also covers an
  // env calling process.exit, which ends only this thread).
  process.on('exit', (code) => {
    Atomics.store(ctrl, exitCodeSlot(w), code);
    Atomics.store(ctrl, exitedSlot(w), 1);
    Atomics.notify(ctrl, PENDING);
  });

  let batch: SubEnvBatch<unknown, unknown>;
  let actionSpace: SpaceJSON;
  try {
    const envs = await loadEnvs(init.specs);
    const first = envs[0] as (typeof envs)[number];
    const obsJson = first.observationSpace.toJSON();
    actionSpace = first.actionSpace.toJSON();
    const obsText = JSON.stringify(obsJson);
    const actText = JSON.stringify(actionSpace);
    for (const [i, e] of envs.entries()) {
      if (JSON.stringify(e.observationSpace.toJSON()) !== obsText) {
        throw new Error(
          `sub-environment ${init.firstIndex + i}: all sub-environments must share one observation space`,
        );
      }
      if (JSON.stringify(e.actionSpace.toJSON()) !== actText) {
        throw new Error(`sub-environment ${init.firstIndex + i}: all sub-environments must share one action space`);
      }
    }
    batch = new SubEnvBatch(envs, init.firstIndex, init.autoresetMode, first.observationSpace.flatdim);
    parent.postMessage({ type: 'ready', observationSpace: obsJson, actionSpace } satisfies StartupMessage);
  } catch (err) {
    parent.postMessage({ type: 'failed', error: serializeError(err, 'start') } satisfies StartupMessage);
    return;
  }

  const [buffers] = (await once(parent, 'message')) as [BuffersMessage];
  serve(init, batch, actionSpace, buffers, ctrl);
}

/** The blocking command loop. Everything here is synchronous: this thread's event loop does not turn again. */
function serve(
  init: WorkerInit,
  batch: SubEnvBatch<unknown, unknown>,
  actionSpace: SpaceJSON,
  buffers: BuffersMessage,
  ctrl: Int32Array,
): void {
  const w = init.workerIndex;
  const port = init.port;
  const k = batch.envs.length;
  const first = init.firstIndex;
  const d = batch.obsDim;
  const rows: BatchRows = {
    observations: new Float32Array(buffers.observations, first * d * 4, k * d),
    rewards: new Float64Array(buffers.rewards, first * 8, k),
    terminations: new Uint8Array(buffers.terminations, first, k),
    truncations: new Uint8Array(buffers.truncations, first, k),
  };
  const codec = actionCodec(actionSpace);
  const actionBuf = new Float64Array(buffers.actions, first * codec.width * 8, k * codec.width);
  const actions: unknown[] = new Array(k);
  const infos: Info[] = new Array(k);

  let seq = 0;
  for (;;) {
    let s = Atomics.load(ctrl, seqSlot(w));
    while (s === seq) {
      Atomics.wait(ctrl, seqSlot(w), seq);
      s = Atomics.load(ctrl, seqSlot(w));
    }
    seq = s;
    const op = Atomics.load(ctrl, opSlot(w));
    let status = STATUS_OK;
    try {
      if (op === OP_STEP) {
        for (let i = 0; i < k; i++) actions[i] = codec.decode(actionBuf, i * codec.width);
        batch.step(actions, rows, infos);
        if (postInfos(port, infos, first)) status = STATUS_MESSAGE;
      } else if (op === OP_RESET) {
        const msg = receiveMessageOnPort(port)?.message as ResetMessage | undefined;
        if (msg?.type !== 'reset') throw new Error('reset command without its ResetMessage (protocol error)');
        batch.reset(msg.request, rows.observations, infos);
        if (postInfos(port, infos, first)) status = STATUS_MESSAGE;
      } else if (op === OP_CLOSE) {
        batch.close();
      }
    } catch (err) {
      const during = OP_NAMES[op] ?? `op ${op}`;
      port.postMessage({ type: 'error', error: serializeError(err, during, batch.cursor) });
      status = STATUS_ERROR;
    }
    Atomics.store(ctrl, statusSlot(w), status);
    Atomics.store(ctrl, ackSlot(w), seq);
    if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
    if (op === OP_CLOSE) break;
  }
  port.close();
}

/** Sends the non-empty infos (most steps have none), so main only receives a message when there is something. */
function postInfos(port: MessagePort, infos: readonly Info[], first: number): boolean {
  let entries: [number, Info][] | undefined;
  for (let i = 0; i < infos.length; i++) {
    const info = infos[i] as Info;
    if (isEmpty(info)) continue;
    entries ??= [];
    entries.push([first + i, info]);
  }
  if (entries === undefined) return false;
  port.postMessage({ type: 'infos', entries } satisfies InfosMessage);
  return true;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

if (parentPort === null) throw new Error('async-vector-worker must run in a worker thread');
await main(workerData as WorkerInit, parentPort);
