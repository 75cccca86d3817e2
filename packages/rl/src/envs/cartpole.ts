import {
  createRng,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type StepResult,
  TwinforgeError,
} from '@twinforge/core';
import type { Env } from '../env/env.js';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import { TimeLimit } from '../wrappers/time-limit.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
/** Half the pole's length, as in Gymnasium. */
const LENGTH = 0.5;
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;
const F32_MAX = 3.4028234663852886e38;

/**
 * CartPole with Gymnasium's CartPole-v1 dynamics (Barto, Sutton & Anderson; explicit Euler, τ = 0.02 s), ported to
 * validate learners against published results. State is kept in float64 and observed as float32, as Gymnasium does.
 * Reward 1 per step including the terminating one; after termination, stepping without reset is an error here
 * (Gymnasium only warns), because it always is a bug in the caller. Use `makeCartPole()` for the 500-step limit.
 * Reset accepts `options: { low, high }` for the initial state range (default ±0.05), like Gymnasium.
 */
export class CartPoleEnv implements Env<Float32Array, number> {
  readonly observationSpace = new Box(
    [-2 * X_THRESHOLD, -F32_MAX, -2 * THETA_THRESHOLD, -F32_MAX],
    [2 * X_THRESHOLD, F32_MAX, 2 * THETA_THRESHOLD, F32_MAX],
  );
  readonly actionSpace = new Discrete(2);
  readonly metadata = { renderFps: 50 };
  #rng: Rng = createRng(0);
  readonly #state = new Float64Array(4);
  #ready = false;
  #done = false;

  /** The float64 state [x, ẋ, θ, θ̇] (a copy). */
  get state(): Float64Array {
    return this.#state.slice();
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const low = bound(options.options?.low, -0.05, 'low');
    const high = bound(options.options?.high, 0.05, 'high');
    if (!(low <= high)) throw new TwinforgeError('INVALID_ARGUMENT', `reset options need low <= high`);
    for (let i = 0; i < 4; i++) this.#state[i] = this.#rng.uniform(low, high);
    this.#ready = true;
    this.#done = false;
    return { observation: Float32Array.from(this.#state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.#ready) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    if (this.#done) throw new TwinforgeError('ENV_NOT_RESET', 'the episode has terminated; call reset()');
    if (!this.actionSpace.contains(action)) {
      throw new TwinforgeError('ENV_INVALID_ACTION', `CartPole action must be 0 or 1, got ${String(action)}`);
    }
    const s = this.#state;
    const [x, xDot, theta, thetaDot] = s as unknown as [number, number, number, number];
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * cos ** 2) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    s[0] = x + TAU * xDot;
    s[1] = xDot + TAU * xAcc;
    s[2] = theta + TAU * thetaDot;
    s[3] = thetaDot + TAU * thetaAcc;
    const nx = s[0] as number;
    const nt = s[2] as number;
    const terminated = nx < -X_THRESHOLD || nx > X_THRESHOLD || nt < -THETA_THRESHOLD || nt > THETA_THRESHOLD;
    this.#done = terminated;
    return { observation: Float32Array.from(s), reward: 1, terminated, truncated: false, info: {} };
  }
}

/** CartPole-v1: CartPoleEnv under a 500-step TimeLimit. */
export function makeCartPole(maxEpisodeSteps = 500): TimeLimit<Float32Array, number> {
  return new TimeLimit(new CartPoleEnv(), maxEpisodeSteps);
}

function bound(v: unknown, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `reset options.${name} must be a finite number`);
  }
  return v;
}
