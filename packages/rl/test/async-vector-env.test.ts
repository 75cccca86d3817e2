import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AsyncVectorEnv,
  type AutoresetMode,
  makeCartPole,
  makePendulum,
  SyncVectorEnv,
  type WorkerEnvSpec,
} from '../src/index.js';
import { makeInfoCartPole } from './fixtures/worker-envs.js';

// Sub-environments are loaded in the workers from the TypeScript sources, the same code the Sync side runs here.
const RL = new URL('../src/index.ts', import.meta.url);
const FIXTURES = new URL('./fixtures/worker-envs.ts', import.meta.url);
const N = 5;
const MODES: AutoresetMode[] = ['next-step', 'same-step', 'disabled'];
/** For tests that start workers: each loads its modules through tsx, seconds apiece when the machine is busy. */
const STARTUP_TIMEOUT = 180_000;

const specs = (n: number, spec: WorkerEnvSpec): WorkerEnvSpec[] => Array.from({ length: n }, () => spec);
const failure = (code: string, message?: RegExp) =>
  expect.objectContaining({ code, ...(message === undefined ? {} : { message: expect.stringMatching(message) }) });

/**
 * Steps a SyncVectorEnv and an AsyncVectorEnv with the same seed and actions and requires identical results. In
 * `disabled` mode an ended sub-environment makes both refuse the step; both are then reset with the same mask.
 */
function expectSameTrajectory<A>(
  sync: SyncVectorEnv<Float32Array, A>,
  async: AsyncVectorEnv<Float32Array, A>,
  seed: number,
  actionRows: A[][],
): void {
  expect(async.reset({ seed })).toEqual(sync.reset({ seed }));
  const ended: boolean[] = new Array(sync.numEnvs).fill(false);
  for (const actions of actionRows) {
    if (sync.autoresetMode === 'disabled' && ended.some(Boolean)) {
      expect(() => async.step(actions)).toThrow(failure('ENV_NOT_RESET'));
      const mask = [...ended];
      expect(async.reset({ options: { resetMask: mask } })).toEqual(sync.reset({ options: { resetMask: mask } }));
      ended.fill(false);
      continue;
    }
    const a = async.step(actions);
    const s = sync.step(actions);
    expect(a).toEqual(s);
    for (let i = 0; i < ended.length; i++) ended[i] = a.terminations[i] === 1 || a.truncations[i] === 1;
  }
}

describe('AsyncVectorEnv', () => {
  const cartPoles = new Map<AutoresetMode, AsyncVectorEnv<Float32Array, number>>();
  let pendulums: AsyncVectorEnv<Float32Array, Float32Array>;
  let infoEnvs: AsyncVectorEnv<Float32Array, number>;

  beforeAll(async () => {
    // Started together: worker start-up (module loading through tsx) dominates this file's run time.
    const carts = Promise.all(
      MODES.map((autoresetMode) =>
        AsyncVectorEnv.create<Float32Array, number>(specs(N, { module: RL, export: 'makeCartPole', config: 15 }), {
          autoresetMode,
          numWorkers: 2,
        }),
      ),
    );
    const pend = AsyncVectorEnv.create<Float32Array, Float32Array>(
      specs(3, { module: RL, export: 'makePendulum', config: 10 }),
      { autoresetMode: 'same-step', numWorkers: 1 },
    );
    const info = AsyncVectorEnv.create<Float32Array, number>(
      specs(4, { module: FIXTURES, export: 'makeInfoCartPole' }),
      {
        autoresetMode: 'same-step',
        numWorkers: 2,
      },
    );
    for (const [k, env] of (await carts).entries()) cartPoles.set(MODES[k] as AutoresetMode, env);
    pendulums = await pend;
    infoEnvs = await info;
  }, STARTUP_TIMEOUT);

  afterAll(async () => {
    await Promise.all([...cartPoles.values(), pendulums, infoEnvs].map((e) => e?.close()));
  }, STARTUP_TIMEOUT);

  for (const mode of MODES) {
    it(`${mode}: identical trajectories to SyncVectorEnv for random seeds and actions`, () => {
      const async = cartPoles.get(mode)!;
      expect([async.numEnvs, async.numWorkers, async.autoresetMode]).toEqual([N, 2, mode]);
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: N, maxLength: N }), { maxLength: 60 }),
          (seed, actionRows) => {
            const sync = new SyncVectorEnv(
              Array.from({ length: N }, () => () => makeCartPole(15)),
              { autoresetMode: mode },
            );
            expectSameTrajectory(sync, async, seed, actionRows);
          },
        ),
        { numRuns: 30 },
      );
    });
  }

  it('Box actions reach the env unchanged (out of bounds too) and final observations come back in infos', () => {
    expect(pendulums.singleActionSpace.toJSON()).toEqual(makePendulum().actionSpace.toJSON());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.array(fc.float({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 30,
        }),
        (seed, rows) => {
          const sync = new SyncVectorEnv(
            [0, 1, 2].map(() => () => makePendulum(10)),
            { autoresetMode: 'same-step' },
          );
          const actions = rows.map((r) => r.map((u) => new Float32Array([u])));
          expectSameTrajectory(sync, pendulums, seed, actions);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('passes non-empty infos (reset, step and same-step final infos) through', () => {
    const sync = new SyncVectorEnv(
      [0, 1, 2, 3].map(() => () => makeInfoCartPole()),
      { autoresetMode: 'same-step' },
    );
    const rows = Array.from({ length: 40 }, (_, t) => [0, 1, 2, 3].map((i) => (t + i) % 2));
    expectSameTrajectory(sync, infoEnvs, 11, rows);
    const r = infoEnvs.step([1, 1, 1, 1]);
    expect(r.infos[2]).toEqual(expect.objectContaining({ t: expect.any(Number) }));
  });

  it('rejects what SyncVectorEnv rejects, before any worker moves, and stays usable', () => {
    const env = cartPoles.get('next-step')!;
    env.reset({ seed: 5 });
    expect(() => env.step([0, 1])).toThrow(failure('ENV_INVALID_ACTION', /expected 5 actions, got 2/));
    expect(() => env.step([0, 1, '1', 0, 1] as unknown as number[])).toThrow(
      failure('ENV_INVALID_ACTION', /actions\[2\]: a Discrete action must be a number, got string/),
    );
    expect(() => pendulums.step([[1], [1], [1]] as unknown as Float32Array[])).toThrow(
      failure('ENV_INVALID_ACTION', /must be a Float32Array of length 1, got array\(1\)/),
    );
    expect(() => env.reset({ options: { resetMask: [true] } })).toThrow(failure('INVALID_ARGUMENT'));
    expect(() => env.reset({ options: { callback: () => 1 } })).toThrow(failure('INVALID_ARGUMENT', /cannot be sent/));
    const sync = new SyncVectorEnv(Array.from({ length: N }, () => () => makeCartPole(15)));
    expect(env.reset({ seed: 5 })).toEqual(sync.reset({ seed: 5 }));
    expect(env.step([1, 0, 1, 0, 1])).toEqual(sync.step([1, 0, 1, 0, 1]));
  });

  it(
    'defaults to min(numEnvs, cores) workers, needs reset before step, and close() ends every worker',
    async () => {
      const env = await AsyncVectorEnv.create<Float32Array, number>([{ module: RL, export: 'makeCartPole' }]);
      expect(env.numWorkers).toBe(1);
      expect(() => env.step([0])).toThrow(failure('ENV_NOT_RESET', /call reset\(\) before step\(\)/));
      env.reset({ seed: 0 });
      expect(env.liveWorkers).toBe(1);
      await env.close();
      expect(env.liveWorkers).toBe(0);
      expect(() => env.step([0])).toThrow(failure('ENV_CLOSED', /closed/));
      expect(() => env.reset()).toThrow(failure('ENV_CLOSED', /closed/));
      await expect(env.close()).resolves.toBeUndefined();
    },
    STARTUP_TIMEOUT,
  );

  it(
    'surfaces an env that throws in step as WORKER_FAILED with its message, then refuses further steps',
    async () => {
      const env = await AsyncVectorEnv.create<Float32Array, number>(
        specs(4, { module: FIXTURES, export: 'makeFaultyCartPole', config: { failAtStep: 3, how: 'throw' } }),
        { numWorkers: 2 },
      );
      env.reset({ seed: 0 });
      env.step([0, 0, 0, 0]);
      env.step([1, 1, 1, 1]);
      let caught: unknown;
      try {
        env.step([0, 0, 0, 0]);
      } catch (err) {
        caught = err;
      }
      expect(caught).toEqual(
        failure(
          'WORKER_FAILED',
          /worker 0 \(sub-environments 0\.\.1\): sub-environment 0 failed in step: \[NUMERIC_INVALID\] boom at step 3/,
        ),
      );
      expect((caught as { details: unknown }).details).toEqual({
        worker: 0,
        during: 'step',
        subEnv: 0,
        code: 'NUMERIC_INVALID',
      });
      expect(() => env.step([0, 0, 0, 0])).toThrow(failure('WORKER_FAILED', /failed earlier .*boom at step 3/));
      expect(() => env.reset()).toThrow(failure('WORKER_FAILED'));
      await env.close();
      expect(env.liveWorkers).toBe(0);
    },
    STARTUP_TIMEOUT,
  );

  it(
    'surfaces a worker thread that exits during a step as WORKER_FAILED',
    async () => {
      const env = await AsyncVectorEnv.create<Float32Array, number>(
        specs(2, { module: FIXTURES, export: 'makeFaultyCartPole', config: { failAtStep: 2, how: 'exit' } }),
        { numWorkers: 1 },
      );
      env.reset({ seed: 0 });
      env.step([0, 0]);
      expect(() => env.step([0, 0])).toThrow(
        failure('WORKER_FAILED', /failed in step: the worker thread exited \(code 7\)/),
      );
      await env.close();
      expect(env.liveWorkers).toBe(0);
    },
    STARTUP_TIMEOUT,
  );

  it(
    'fails to start with WORKER_FAILED naming the module, export or factory at fault',
    async () => {
      const cases: [WorkerEnvSpec[], number, RegExp][] = [
        [
          [{ module: RL, export: 'makeCartPol' }],
          1,
          /no function export "makeCartPol" .*Did you mean "makeCartPole"\?/,
        ],
        [[{ module: FIXTURES, export: 'throwingFactory' }], 1, /failed to start: factory refused to build/],
        [
          [{ module: '@twinforge/no-such-package', export: 'x' }],
          1,
          /Cannot find package '@twinforge\/no-such-package'/,
        ],
        [
          [false, true].map((wide) => ({ module: FIXTURES, export: 'makeWideCartPole', config: wide })),
          1,
          /sub-environment 1: all sub-environments must share one observation space/,
        ],
      ];
      await Promise.all(
        cases.map(([envs, numWorkers, message]) =>
          expect(AsyncVectorEnv.create(envs, { numWorkers })).rejects.toEqual(failure('WORKER_FAILED', message)),
        ),
      );
      // Across workers the check runs on the main thread.
      await expect(
        AsyncVectorEnv.create(
          [false, true].map((wide) => ({ module: FIXTURES, export: 'makeWideCartPole', config: wide })),
          { numWorkers: 2 },
        ),
      ).rejects.toEqual(failure('INVALID_ARGUMENT', /share one observation space/));
    },
    STARTUP_TIMEOUT,
  );

  it('rejects bad specs and options with CONFIG_INVALID naming the field, before starting a worker', async () => {
    const cart = { module: RL, export: 'makeCartPole' };
    await expect(AsyncVectorEnv.create([])).rejects.toEqual(failure('CONFIG_INVALID', /at least one env/));
    await expect(AsyncVectorEnv.create([{ module: './env.js' }])).rejects.toEqual(
      failure('CONFIG_INVALID', /\[0\]\.module: relative path .*new URL/),
    );
    await expect(AsyncVectorEnv.create([{ ...cart, exprot: 'x' } as WorkerEnvSpec])).rejects.toEqual(
      failure('CONFIG_INVALID', /exprot/),
    );
    await expect(AsyncVectorEnv.create([cart], { numWorkers: 2 })).rejects.toEqual(
      failure('CONFIG_INVALID', /numWorkers: 2 > 1 envs/),
    );
    await expect(AsyncVectorEnv.create([cart], { autoresetMode: 'never' as AutoresetMode })).rejects.toEqual(
      failure('CONFIG_INVALID', /autoresetMode/),
    );
    await expect(AsyncVectorEnv.create([{ ...cart, config: { f: () => 1 } }])).rejects.toEqual(
      failure('CONFIG_INVALID', /structured-cloneable/),
    );
  });

  it(
    'close() leaves nothing that keeps the process alive (and without close() the process does not end)',
    async () => {
      // node itself with tsx's loader (not the tsx CLI, which would put a second process in between).
      const tsx = import.meta.resolve('tsx');
      const child = fileURLToPath(new URL('./fixtures/close-child.ts', import.meta.url));
      // After its output, a process gets `graceMs` to end by itself; one still running then is killed and reported.
      const run = (args: string[], graceMs: number) =>
        new Promise<{ code: number | null; stdout: string; aliveAfterOutput: boolean }>((resolve) => {
          const p = spawn(process.execPath, ['--import', tsx, child, ...args], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let stdout = '';
          let aliveAfterOutput = false;
          let timer: NodeJS.Timeout | undefined;
          p.stdout.on('data', (d: Buffer) => {
            stdout += d.toString();
            timer ??= setTimeout(() => {
              aliveAfterOutput = p.exitCode === null && p.signalCode === null;
              if (aliveAfterOutput) p.kill();
            }, graceMs);
          });
          p.on('exit', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, aliveAfterOutput });
          });
        });
      const [closed, leaked] = await Promise.all([run([], 30_000), run(['--no-close'], 2_000)]);
      expect(closed).toEqual({ code: 0, stdout: 'stepped, live workers: 0\n', aliveAfterOutput: false });
      expect(leaked.stdout).toBe('stepped, live workers: 1\n');
      expect(leaked.aliveAfterOutput).toBe(true);
    },
    STARTUP_TIMEOUT,
  );
});
