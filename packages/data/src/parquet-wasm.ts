import { createRequire } from 'node:module';

/** parquet-wasm's Node build (CommonJS, loads its .wasm synchronously); required so ESM interop never guesses. */
export type ParquetWasm = typeof import('parquet-wasm/node');

const require = createRequire(import.meta.url);
export const parquetWasm: ParquetWasm = require('parquet-wasm/node') as ParquetWasm;
