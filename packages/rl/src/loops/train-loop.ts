import { type CoreEnv, createRng, type Info, TwinforgeError } from '@twinforge/core';
import { Observable } from 'rxjs';
import { type EvaluationResult, evaluatePolicy, type Policy } from './evaluate.js';

/** One environment transition as a learner sees it. */
export interface LoopTransition<O, A> {
  observation: O;
  action: A;
  reward: number;
  nextObservation: O;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** A policy that also learns from what it experiences. */
export interface LoopAgent<O, A> extends Policy<O, A> {
  observe?(transition: LoopTransition<O, A>, step: number): void;
  /**
   * What evaluations run (SB3's EvalCallback evaluates with `deterministic=True`): a learner's greedy policy, without
   * exploration noise. Absent, evaluations call `act`, which suits scripted controllers that do not explore.
   */
  readonly evalPolicy?: Policy<O, A>;
}

export type LoopEvent =
  | { kind: 'episode'; step: number; episode: number; return: number; length: number }
  | { kind: 'progress'; step: number; totalSteps: number; fraction: number }
  | ({ kind: 'eval'; step: number } & EvaluationResult)
  | { kind: 'checkpoint'; step: number }
  | { kind: 'done'; step: number; reason: 'total-steps' | 'threshold' };

export interface TrainLoopOptions<O, A> {
  env: CoreEnv<O, A>;
  agent: LoopAgent<O, A>;
  totalSteps: number;
  seed?: number;
  /** Evaluate `agent.evalPolicy` (else the agent) every N steps on `evalEnv` (default: no evaluation). */
  evalEvery?: number;
  evalEnv?: CoreEnv<O, A>;
  evalEpisodes?: number;
  /** Stop once an evaluation's mean return reaches this. */
  stopOnMeanReturn?: number;
  /** Call `onCheckpoint(step)` every N steps (e.g. `learner.save(dir)`); failures end the stream with the error. */
  checkpointEvery?: number;
  onCheckpoint?: (step: number) => void;
  progressEvery?: number;
  /** Steps run between yields to the event loop, so unsubscribing cancels promptly (default 1000). */
  chunk?: number;
}

/**
 * The interaction loop as a cold Observable of metrics events: subscribe to run, unsubscribe to cancel (checked
 * between chunks of steps, so a long run never blocks the process). Callbacks of SB3 (evaluate every N steps,
 * checkpoint, stop on a reward threshold, progress) are options here and show up as events in the stream.
 */
export function trainLoop<O, A>(options: TrainLoopOptions<O, A>): Observable<LoopEvent> {
  const { env, agent, totalSteps } = options;
  if (!Number.isSafeInteger(totalSteps) || totalSteps < 1) {
    throw new TwinforgeError('INVALID_ARGUMENT', `totalSteps must be an integer >= 1, got ${totalSteps}`);
  }
  if (options.evalEvery !== undefined && options.evalEnv === undefined) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'evalEvery needs evalEnv (a separate environment instance)');
  }
  const seed = options.seed ?? 0;
  const chunk = options.chunk ?? 1000;
  return new Observable<LoopEvent>((subscriber) => {
    const rng = createRng(seed).split('train-loop');
    let obs = env.reset({ seed }).observation;
    let step = 0;
    let episode = 0;
    let ret = 0;
    let len = 0;
    let timer: ReturnType<typeof setImmediate> | undefined;
    const runChunk = () => {
      try {
        const end = Math.min(totalSteps, step + chunk);
        while (step < end) {
          const action = agent.act(obs, rng);
          const r = env.step(action);
          step++;
          agent.observe?.(
            {
              observation: obs,
              action,
              reward: r.reward,
              nextObservation: r.observation,
              terminated: r.terminated,
              truncated: r.truncated,
              info: r.info,
            },
            step,
          );
          ret += r.reward;
          len++;
          if (r.terminated || r.truncated) {
            subscriber.next({ kind: 'episode', step, episode, return: ret, length: len });
            episode++;
            ret = 0;
            len = 0;
            obs = env.reset().observation;
          } else {
            obs = r.observation;
          }
          if (options.progressEvery && step % options.progressEvery === 0) {
            subscriber.next({ kind: 'progress', step, totalSteps, fraction: step / totalSteps });
          }
          if (options.checkpointEvery && step % options.checkpointEvery === 0) {
            options.onCheckpoint?.(step);
            subscriber.next({ kind: 'checkpoint', step });
          }
          if (options.evalEvery && options.evalEnv && step % options.evalEvery === 0) {
            const result = evaluatePolicy(options.evalEnv, agent.evalPolicy ?? agent, {
              episodes: options.evalEpisodes ?? 5,
              seed: seed + 1_000_003,
            });
            subscriber.next({ kind: 'eval', step, ...result });
            if (options.stopOnMeanReturn !== undefined && result.meanReturn >= options.stopOnMeanReturn) {
              subscriber.next({ kind: 'done', step, reason: 'threshold' });
              subscriber.complete();
              return;
            }
          }
          if (subscriber.closed) return;
        }
        if (step >= totalSteps) {
          subscriber.next({ kind: 'done', step, reason: 'total-steps' });
          subscriber.complete();
          return;
        }
        timer = setImmediate(runChunk);
      } catch (err) {
        subscriber.error(err);
      }
    };
    timer = setImmediate(runChunk);
    return () => {
      if (timer !== undefined) clearImmediate(timer);
    };
  });
}
