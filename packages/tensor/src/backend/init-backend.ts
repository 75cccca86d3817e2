import { createRequire } from 'node:module';
import { ConsoleLogger, didYouMean, type Logger, TwinforgeError } from '@twinforge/core';
import * as tf from '../tf.js';
import {
  BACKEND_CANDIDATES,
  BACKEND_IDS,
  type BackendCandidate,
  type BackendId,
  parseBackendId,
} from './candidates.js';
import { wasmFilePaths } from './wasm-paths.js';

/** Imports a backend package by name; injectable so the fallback order is testable without tfjs-node. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

export interface InitBackendOptions {
  /** Forces one backend; wins over TWINFORGE_TF_BACKEND. */
  readonly backend?: BackendId | string;
  /** Where TWINFORGE_TF_BACKEND is read from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives one info record naming the chosen backend (default: a ConsoleLogger on stderr). */
  readonly logger?: Logger;
  readonly loader?: ModuleLoader;
  /** Whether a package is installed at all (default: Node's resolver); only used to word errors. */
  readonly isInstalled?: (specifier: string) => boolean;
  /** Candidates in preference order (default: node-gpu, node, wasm, cpu). */
  readonly candidates?: readonly BackendCandidate[];
}

export interface BackendAttempt {
  readonly id: BackendId;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface BackendInfo {
  readonly id: BackendId;
  /** tfjs's name for it (`tf.getBackend()`). */
  readonly tfName: string;
  readonly forced: boolean;
  /** Every candidate tried, in order, with why the ones before the winner were skipped. */
  readonly attempts: readonly BackendAttempt[];
  /** For wasm: whether the SIMD binary runs and how many threads XNNPACK uses. */
  readonly wasm?: { readonly simd: boolean; readonly threads: number };
}

export const BACKEND_ENV_VAR = 'TWINFORGE_TF_BACKEND';

const defaultLoader: ModuleLoader = (specifier) => import(specifier);

function defaultIsInstalled(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;

/**
 * Chooses and activates the tfjs backend once per process: the forced one (option or TWINFORGE_TF_BACKEND), else
 * the first of tfjs-node-gpu → tfjs-node → wasm → cpu that loads. Later calls return the same result; a call that
 * forces a different backend switches to it. Must be awaited before any network is built.
 */
export async function initTensorBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const forcedId = forcedBackend(options);
  const matches = (info: BackendInfo | undefined) =>
    info !== undefined && (forcedId === undefined || forcedId === info.id) && activeTfName() === info.tfName;
  if (matches(current)) return current as BackendInfo;
  if (pending !== undefined) {
    const info = await pending.catch(() => undefined);
    if (matches(info)) return info as BackendInfo;
  }
  pending = selectBackend(options).finally(() => {
    pending = undefined;
  });
  return pending;
}

/** The name of the active tfjs backend without making tfjs pick one on its own (tf.getBackend() would). */
function activeTfName(): string | null {
  return tf.engine().backendName;
}

/** The backend initTensorBackend chose, or undefined before it ran. */
export function currentBackend(): BackendInfo | undefined {
  return current !== undefined && activeTfName() === current.tfName ? current : undefined;
}

/** Throws unless a backend has been initialised: networks allocate variables on it. */
export function requireBackend(what: string): BackendInfo {
  const info = currentBackend();
  if (info === undefined) {
    throw new TwinforgeError(
      'TENSOR_BACKEND_UNAVAILABLE',
      `${what} needs a tensor backend: call "await initTensorBackend()" from @twinforge/tensor first`,
    );
  }
  return info;
}

function forcedBackend(options: InitBackendOptions): BackendId | undefined {
  const raw = options.backend ?? (options.env ?? process.env)[BACKEND_ENV_VAR];
  if (raw === undefined || raw.trim() === '') return undefined;
  const id = parseBackendId(raw);
  if (id === undefined) {
    const field = options.backend !== undefined ? 'backend' : BACKEND_ENV_VAR;
    throw new TwinforgeError(
      'CONFIG_INVALID',
      `${field}: unknown tensor backend "${raw}".${didYouMean(raw, BACKEND_IDS)} Use one of ${BACKEND_IDS.join(', ')}`,
      { details: { field, value: raw, allowed: [...BACKEND_IDS] } },
    );
  }
  return id;
}

/**
 * Runs the selection every time (initTensorBackend memoises it) and makes the winner the current backend. For
 * benchmarks that visit every backend, and tests that inspect the attempts.
 */
export async function selectBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const loader = options.loader ?? defaultLoader;
  const logger = options.logger ?? new ConsoleLogger('info');
  const candidates = options.candidates ?? BACKEND_CANDIDATES;
  const forcedId = forcedBackend(options);
  const order = forcedId === undefined ? candidates : candidates.filter((c) => c.id === forcedId);
  const attempts: BackendAttempt[] = [];
  for (const candidate of order) {
    const reason = await activate(candidate, loader);
    attempts.push(reason === undefined ? { id: candidate.id, ok: true } : { id: candidate.id, ok: false, reason });
    if (reason !== undefined) continue;
    const info: BackendInfo = {
      id: candidate.id,
      tfName: candidate.tfName,
      forced: forcedId !== undefined,
      attempts,
      ...(candidate.id === 'wasm' ? { wasm: await wasmDetails(loader) } : {}),
    };
    current = info;
    logger.info(`tensor backend: ${candidate.id}${info.forced ? ` (forced by ${forcedSource(options)})` : ''}`, {
      backend: candidate.id,
      skipped: attempts.filter((a) => !a.ok).map((a) => `${a.id}: ${a.reason}`),
      ...(info.wasm === undefined ? {} : { simd: info.wasm.simd, threads: info.wasm.threads }),
    });
    return info;
  }
  const isInstalled = options.isInstalled ?? defaultIsInstalled;
  const installed = candidates.filter((c) => isInstalled(c.module)).map((c) => c.id);
  const why = attempts.map((a) => `${a.id}: ${a.reason}`).join('; ');
  if (forcedId !== undefined) {
    const candidate = candidates.find((c) => c.id === forcedId);
    throw new TwinforgeError(
      'TENSOR_BACKEND_UNAVAILABLE',
      `tensor backend "${forcedId}" forced by ${forcedSource(options)} is unavailable (${why}); installed: ${
        installed.length > 0 ? installed.join(', ') : 'none'
      }. ${candidate?.optional ? `Install ${candidate.module} or ` : ''}unset ${BACKEND_ENV_VAR} to pick one of those`,
      { details: { forced: forcedId, installed, attempts } },
    );
  }
  throw new TwinforgeError('TENSOR_BACKEND_UNAVAILABLE', `no tensor backend could be initialised (${why})`, {
    details: { installed, attempts },
  });
}

function forcedSource(options: InitBackendOptions): string {
  return options.backend !== undefined ? 'the backend option' : BACKEND_ENV_VAR;
}

/** Loads and activates one candidate; returns why it failed, or undefined on success. */
async function activate(candidate: BackendCandidate, loader: ModuleLoader): Promise<string | undefined> {
  let mod: unknown;
  try {
    mod = await loader(candidate.module);
  } catch (error) {
    return `cannot load ${candidate.module} (${firstLine(error)})`;
  }
  if (candidate.id === 'wasm') prepareWasm(mod);
  if (tf.findBackendFactory(candidate.tfName) === null) {
    return `${candidate.module} loaded but registered no "${candidate.tfName}" backend`;
  }
  // Emscripten's Node glue adds process listeners that rethrow every uncaught error; they would override the
  // host's (and vitest's) handlers for the life of the process, so they are removed once the module is up.
  const before = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  try {
    const ok = await tf.setBackend(candidate.tfName);
    if (!ok) return `tfjs could not initialise the "${candidate.tfName}" backend`;
    await tf.ready();
  } catch (error) {
    return `initialising "${candidate.tfName}" failed (${firstLine(error)})`;
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!before.uncaughtException.includes(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!before.unhandledRejection.includes(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
  // PROD skips tfjs's debug checks and silences its "install tfjs-node" banner on the cpu backend; twinforge has
  // its own finite checks (NUMERIC_INVALID) where they matter.
  tf.enableProdMode();
  return undefined;
}

function prepareWasm(mod: unknown): void {
  const wasm = mod as { setWasmPaths?: (paths: Record<string, string>) => void };
  try {
    wasm.setWasmPaths?.(wasmFilePaths());
  } catch {
    // Already initialised earlier in this process: its paths were set then.
  }
}

async function wasmDetails(loader: ModuleLoader): Promise<{ simd: boolean; threads: number }> {
  const wasm = (await loader('@tensorflow/tfjs-backend-wasm')) as { getThreadsCount?: () => number };
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { simd, threads: wasm.getThreadsCount?.() ?? 1 };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
