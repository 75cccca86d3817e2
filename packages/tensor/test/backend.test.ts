import { existsSync } from 'node:fs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { createRng, isTwinforgeError, MemoryLogger, silentLogger } from '@twinforge/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createMlp, initTensorBackend, selectBackend, tf, wasmFilePaths } from '../src/index.js';

const realImport = (specifier: string) => import(specifier);

/** A loader on which only the listed native packages "exist"; they register a cpu-kernel stand-in backend. */
function loaderWith(present: readonly string[]) {
  return async (specifier: string) => {
    if (specifier.startsWith('@tensorflow/tfjs-node')) {
      if (!present.includes(specifier)) throw new Error(`Cannot find package '${specifier}'`);
      if (tf.findBackendFactory('tensorflow') === null) tf.registerBackend('tensorflow', () => new MathBackendCPU());
      return {};
    }
    return realImport(specifier);
  };
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
  await initTensorBackend({ backend: 'wasm', logger: silentLogger });
});

describe('backend selection', () => {
  it('picks wasm by default here (tfjs-node is not installed) with SIMD, and logs the choice', async () => {
    const logger = new MemoryLogger();
    const listeners = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const info = await initTensorBackend({ logger, env: {} });
    // Emscripten's glue adds rethrowing process handlers; init removes them so the host's handlers stay in charge.
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(
      listeners,
    );
    expect(info.id).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.wasm?.simd).toBe(true);
    expect(info.attempts.map((a) => [a.id, a.ok])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['wasm', true],
    ]);
    expect(logger.records).toHaveLength(1);
    expect(logger.records[0]?.message).toBe('tensor backend: wasm');
    // Ops really run on the wasm kernels.
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
    expect(tf.engine().backendNames()).toContain('wasm');
    y.dispose();
  });

  it('points tfjs at the three .wasm binaries of the installed package by absolute path', () => {
    const paths = wasmFilePaths();
    expect(Object.keys(paths).sort()).toEqual([
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
    for (const file of Object.values(paths)) {
      expect(file).toMatch(/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\//);
      expect(existsSync(file)).toBe(true);
    }
  });

  it('follows node-gpu → node → wasm → cpu: an installed tfjs-node wins over wasm', async () => {
    const info = await selectBackend({ loader: loaderWith(['@tensorflow/tfjs-node']), logger: silentLogger, env: {} });
    expect(info.id).toBe('node');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(info.attempts.map((a) => a.id)).toEqual(['node-gpu', 'node']);
    const gpu = await selectBackend({
      loader: loaderWith(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']),
      logger: silentLogger,
      env: {},
    });
    expect(gpu.id).toBe('node-gpu');
  });

  it('falls back to cpu when wasm fails to load', async () => {
    const loader = async (specifier: string) => {
      if (specifier !== '@tensorflow/tfjs-backend-cpu') throw new Error(`Cannot find package '${specifier}'`);
      return realImport(specifier);
    };
    const info = await selectBackend({ loader, logger: silentLogger, env: {} });
    expect(info.id).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.attempts.filter((a) => !a.ok).map((a) => a.id)).toEqual(['node-gpu', 'node', 'wasm']);
  });

  it('TWINFORGE_TF_BACKEND forces one backend', async () => {
    const info = await selectBackend({ env: { TWINFORGE_TF_BACKEND: 'cpu' }, logger: silentLogger });
    expect(info).toMatchObject({ id: 'cpu', forced: true });
    expect(info.attempts).toHaveLength(1);
  });

  it('a forced backend that is not installed is TENSOR_BACKEND_UNAVAILABLE naming what is installed', async () => {
    const error = await errorOf(selectBackend({ env: { TWINFORGE_TF_BACKEND: 'node' }, logger: silentLogger }));
    expect(isTwinforgeError(error, 'TENSOR_BACKEND_UNAVAILABLE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('@tensorflow/tfjs-node');
    expect(message).toContain('installed: wasm, cpu');
    expect(message).toContain('TWINFORGE_TF_BACKEND');
  });

  it('an unknown backend name is CONFIG_INVALID naming the variable and a suggestion', async () => {
    const error = await errorOf(selectBackend({ env: { TWINFORGE_TF_BACKEND: 'wsam' }, logger: silentLogger }));
    expect(isTwinforgeError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/TWINFORGE_TF_BACKEND: unknown tensor backend "wsam".*"wasm"/);
  });

  it('same seed gives the same weights on wasm and cpu, bit for bit', async () => {
    await initTensorBackend({ backend: 'wasm', logger: silentLogger });
    const a = createMlp({ sizes: [3, 5, 2], init: 'orthogonal' }, createRng(9));
    const wa = tf
      .concat(a.parameters().map((p) => tf.reshape(p.variable, [-1])))
      .dataSync()
      .slice();
    await initTensorBackend({ backend: 'cpu', logger: silentLogger });
    const b = createMlp({ sizes: [3, 5, 2], init: 'orthogonal' }, createRng(9));
    const wb = tf
      .concat(b.parameters().map((p) => tf.reshape(p.variable, [-1])))
      .dataSync()
      .slice();
    expect(Array.from(wb)).toEqual(Array.from(wa));
  });
});
