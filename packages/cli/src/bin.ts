#!/usr/bin/env node
// The `twinforge` executable. tsyringe needs the Reflect metadata polyfill before any plugin module loads.
import 'reflect-metadata';
import { main } from './program.js';
import { processIo } from './util/io.js';

const code = await main(process.argv.slice(2), processIo());
// Let stdout drain (piped output) before the exit code is set; pending handles (DuckDB, workers) must not keep us.
process.exitCode = code;
