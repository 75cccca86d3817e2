import { type CoreEnv, createRng, type Rng, TwinforgeError } from '@twinforge/core';

/** Anything that acts: a learner's policy, a baseline, a scripted controller. */
export interface Policy<O, A> {
  act(observation: O, rng: Rng): A;
}

export interface EvaluationResult {
  returns: number[];
  lengths: number[];
  meanReturn: number;
  stdReturn: number;
}

export interface EvaluateOptions {
  episodes?: number;
  /** Episode i is reset with `seed + i`, so two evaluations of the same policy see the same starts. */
  seed?: number;
  /** Safety cap per episode for environments without a time limit (default 100 000). */
  maxSteps?: number;
}

/** Runs whole episodes and reports undiscounted returns (SB3's `evaluate_policy`). */
export function evaluatePolicy<O, A>(
  env: CoreEnv<O, A>,
  policy: Policy<O, A>,
  options: EvaluateOptions = {},
): EvaluationResult {
  const episodes = options.episodes ?? 10;
  const seed = options.seed ?? 0;
  const maxSteps = options.maxSteps ?? 100_000;
  if (!Number.isSafeInteger(episodes) || episodes < 1) {
    throw new TwinforgeError('INVALID_ARGUMENT', `episodes must be an integer >= 1, got ${episodes}`);
  }
  const rng = createRng(seed).split('evaluate');
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let obs = env.reset({ seed: seed + e }).observation;
    let ret = 0;
    let len = 0;
    for (; len < maxSteps; ) {
      const r = env.step(policy.act(obs, rng));
      ret += r.reward;
      len++;
      obs = r.observation;
      if (r.terminated || r.truncated) break;
    }
    returns.push(ret);
    lengths.push(len);
  }
  const meanReturn = returns.reduce((a, b) => a + b, 0) / episodes;
  const stdReturn = Math.sqrt(returns.reduce((a, b) => a + (b - meanReturn) ** 2, 0) / episodes);
  return { returns, lengths, meanReturn, stdReturn };
}
