import { type CoreEnv, createRng, type SpaceLike, TwinforgeError } from '@twinforge/core';
import { deepEqual } from './deep-equal.js';

export interface CheckEnvOptions {
  /** Seed for the determinism check and for the sampled actions (default 0). */
  seed?: number;
  /** Steps compared between the two seeded rollouts (default 10). */
  steps?: number;
}

const STEP_KEYS = ['observation', 'reward', 'terminated', 'truncated', 'info'] as const;

/**
 * A port of Gymnasium's `check_env` as one function that environment plugins call in their tests. It throws a
 * TwinforgeError `ENV_CHECK_FAILED` whose message names the first problem found, in the order a user would want to
 * fix them: declared spaces, the shape of reset/step results, observations outside the observation space,
 * non-finite rewards, and determinism under a seed (two `reset({ seed })` followed by the same actions must give
 * identical trajectories, or datasets and curricula cannot be replayed).
 */
export function checkEnv<O, A>(env: CoreEnv<O, A>, options: CheckEnvOptions = {}): void {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? 10;
  checkSpace(env.observationSpace, 'observationSpace');
  checkSpace(env.actionSpace, 'actionSpace');
  const probe = createRng(seed).split('checkEnv/space');
  const sampledAction = env.actionSpace.sample(probe);
  if (!env.actionSpace.contains(sampledAction)) fail('actionSpace.sample() returned a value that it does not contain');
  if (!env.observationSpace.contains(env.observationSpace.sample(probe))) {
    fail('observationSpace.sample() returned a value that it does not contain');
  }

  const first = rollout(env, seed, steps);
  const second = rollout(env, seed, steps);
  if (!deepEqual(first[0], second[0])) {
    fail(`reset({ seed: ${seed} }) is not deterministic: two resets with the same seed gave different observations`);
  }
  for (let i = 1; i < Math.min(first.length, second.length); i++) {
    const a = first[i] as Record<string, unknown>;
    const b = second[i] as Record<string, unknown>;
    for (const key of ['observation', 'reward', 'terminated', 'truncated'] as const) {
      if (!deepEqual(a[key], b[key])) {
        fail(
          `step ${i} is not deterministic under seed ${seed}: '${key}' differs between two rollouts with the same ` +
            'seed and actions (draw randomness only from an Rng created from the reset seed)',
        );
      }
    }
  }
  if (first.length !== second.length) {
    fail(`episode length is not deterministic under seed ${seed}: ${first.length - 1} vs ${second.length - 1} steps`);
  }
  // Gymnasium also checks that reset works without a seed after a seeded one.
  checkReset(env.reset(), env);
}

/** reset(seed) then `steps` steps with actions drawn from a generator seeded the same way every time. */
function rollout<O, A>(env: CoreEnv<O, A>, seed: number, steps: number): unknown[] {
  const reset = env.reset({ seed });
  checkReset(reset, env);
  const out: unknown[] = [reset.observation];
  const rng = createRng(seed).split('checkEnv/actions');
  for (let i = 1; i <= steps; i++) {
    const action = env.actionSpace.sample(rng);
    const r: unknown = env.step(action);
    checkStep(r, env, i);
    out.push(r);
    const s = r as { terminated: boolean; truncated: boolean };
    if (s.terminated || s.truncated) break;
  }
  return out;
}

function checkReset(r: unknown, env: CoreEnv<unknown, unknown>): void {
  if (typeof r !== 'object' || r === null) fail('reset() must return { observation, info }');
  const res = r as Record<string, unknown>;
  if (!('observation' in res)) fail("reset() result is missing key 'observation'");
  if (!isPlainObject(res.info)) fail('reset() info must be a plain object');
  if (!env.observationSpace.contains(res.observation)) {
    fail(`reset() observation is not in observationSpace: ${describeMismatch(res.observation, env.observationSpace)}`);
  }
}

function checkStep(r: unknown, env: CoreEnv<unknown, unknown>, i: number): void {
  if (typeof r !== 'object' || r === null) fail(`step() must return an object (step ${i})`);
  const res = r as Record<string, unknown>;
  for (const k of STEP_KEYS) if (!(k in res)) fail(`step() result is missing key '${k}' (step ${i})`);
  if (typeof res.terminated !== 'boolean') fail(`step() terminated must be a boolean, got ${typeof res.terminated}`);
  if (typeof res.truncated !== 'boolean') fail(`step() truncated must be a boolean, got ${typeof res.truncated}`);
  if (typeof res.reward !== 'number') fail(`step() reward must be a number, got ${typeof res.reward}`);
  if (!Number.isFinite(res.reward)) fail(`step() returned a non-finite reward ${String(res.reward)} (step ${i})`);
  if (!isPlainObject(res.info)) fail(`step() info must be a plain object (step ${i})`);
  if (!env.observationSpace.contains(res.observation)) {
    fail(
      `step() observation is not in observationSpace (step ${i}): ` +
        describeMismatch(res.observation, env.observationSpace),
    );
  }
}

function checkSpace(space: unknown, name: string): void {
  const s = space as SpaceLike | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.sample !== 'function' ||
    typeof s.contains !== 'function' ||
    typeof s.toJSON !== 'function'
  ) {
    fail(`${name} must be a space with sample, contains and toJSON`);
  }
}

/** Names the usual culprits (wrong length, wrong array type, NaN) so the message says what to fix. */
function describeMismatch(value: unknown, space: SpaceLike): string {
  const spec = JSON.stringify(space.toJSON());
  if (ArrayBuffer.isView(value)) {
    const arr = value as unknown as ArrayLike<number>;
    const json = space.toJSON() as { shape?: number[] };
    const expected = json.shape?.reduce((a, b) => a * b, 1);
    const shape = expected !== undefined && expected !== arr.length ? ` (wrong shape: expected ${expected})` : '';
    return `got ${value.constructor.name} of length ${arr.length}${shape}; space is ${spec}`;
  }
  return `got ${Array.isArray(value) ? `array of length ${value.length}` : typeof value}; space is ${spec}`;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string): never {
  throw new TwinforgeError('ENV_CHECK_FAILED', `checkEnv: ${message}`);
}
