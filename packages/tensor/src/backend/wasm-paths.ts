import { createRequire } from 'node:module';
import path from 'node:path';

/** The three binaries @tensorflow/tfjs-backend-wasm may load; which one depends on SIMD and thread support. */
export const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * Absolute paths of the .wasm files inside the installed @tensorflow/tfjs-backend-wasm.
 *
 * Emscripten's default locates them next to the script that loads it (`__dirname`), which only holds while the
 * package's own CommonJS bundle is what runs. Under a bundler, vitest's module runner or a copied dist that is no
 * longer true, so twinforge resolves the package through Node's resolver and names each file explicitly.
 */
export function wasmFilePaths(resolveFrom: string = import.meta.url): Record<string, string> {
  const require = createRequire(resolveFrom);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(main);
  return Object.fromEntries(WASM_BINARIES.map((name) => [name, path.join(dir, name)]));
}
