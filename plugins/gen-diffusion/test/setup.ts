import { silentLogger } from '@twinforge/core';
import { initTensorBackend } from '@twinforge/tensor';

/** Every test file builds networks: the wasm backend, once per file, without log lines. */
export async function backend(): Promise<void> {
  await initTensorBackend({ logger: silentLogger });
}
