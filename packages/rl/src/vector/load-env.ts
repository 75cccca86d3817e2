import { didYouMean, TwinforgeError } from '@twinforge/core';
import type { Env } from '../env/env.js';
import type { ResolvedEnvSpec } from './worker-protocol.js';

const TS_FILE = /\.[cm]?tsx?$/;
// A variable, so the compiler neither resolves nor type-checks tsx: it is an optional, undeclared helper.
const TSX_API = 'tsx/esm/api';

/**
 * Imports an env module inside a worker. A `.ts` module fails on plain Node 20 (ERR_UNKNOWN_FILE_EXTENSION; tsx's
 * loader is not inherited by workers), so it is retried through tsx's `tsImport` when tsx can be found.
 */
async function importEnvModule(specifier: string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !TS_FILE.test(specifier)) throw err;
    let tsx: { tsImport(specifier: string, parentURL: string): Promise<unknown> };
    try {
      tsx = (await import(TSX_API)) as typeof tsx;
    } catch {
      throw new TwinforgeError(
        'WORKER_FAILED',
        `${specifier} is TypeScript; build it to .js, or install tsx so the worker can load it`,
      );
    }
    return (await tsx.tsImport(specifier, import.meta.url)) as Record<string, unknown>;
  }
}

/** Builds the sub-environments of one worker, importing each module once. */
export async function loadEnvs(specs: readonly ResolvedEnvSpec[]): Promise<Env<unknown, unknown>[]> {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const envs: Env<unknown, unknown>[] = [];
  for (const spec of specs) {
    let mod = modules.get(spec.module);
    if (mod === undefined) {
      mod = importEnvModule(spec.module);
      modules.set(spec.module, mod);
    }
    const ns = await mod;
    const factory = ns[spec.export];
    if (typeof factory !== 'function') {
      const names = Object.keys(ns);
      throw new TwinforgeError(
        'WORKER_FAILED',
        `${spec.module} has no function export ${JSON.stringify(spec.export)} ` +
          `(exports: ${names.join(', ') || 'none'}).${didYouMean(spec.export, names)}`,
      );
    }
    const env = (await ('config' in spec ? factory(spec.config) : factory())) as Env<unknown, unknown>;
    if (!isEnv(env)) {
      throw new TwinforgeError(
        'WORKER_FAILED',
        `${spec.export} of ${spec.module} did not return an Env with observationSpace, actionSpace, reset and step`,
      );
    }
    envs.push(env);
  }
  return envs;
}

function isEnv(v: unknown): v is Env<unknown, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Env<unknown, unknown>>;
  return (
    typeof e.reset === 'function' &&
    typeof e.step === 'function' &&
    typeof e.observationSpace?.flattenInto === 'function' &&
    typeof e.actionSpace?.toJSON === 'function'
  );
}
