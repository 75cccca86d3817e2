import { silentLogger } from '@twinforge/core';
import { type BackendInfo, initTensorBackend } from '../src/index.js';

/** Initialises the default backend quietly (tests that check the choice use selectBackend directly). */
export function initQuietly(): Promise<BackendInfo> {
  return initTensorBackend({ logger: silentLogger, env: {} });
}
