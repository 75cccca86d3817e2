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
import { TimeLimit } from '../wrappers/time-limit.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const MASS = 1;
const LENGTH = 1;

/**
 * Pendulum with Gymnasium's Pendulum-v1 dynamics (semi-implicit Euler, dt 0.05 s, g = 10 by default): swing up
 * and hold a pole with torque in [-2, 2]. Reward −(θ² + 0.1 θ̇² + 0.001 u²) with θ normalised to [−π, π); it never
 * terminates, so `makePendulum()` adds the 200-step TimeLimit. Reset draws θ ∈ [−π, π], θ̇ ∈ [−1, 1]
 * (`options: { xInit, yInit }` change those bounds, as Gymnasium's x_init / y_init).
 */
export class PendulumEnv implements Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace = new Box(-MAX_TORQUE, MAX_TORQUE, { shape: [1] });
  readonly metadata = { renderFps: 30 };
  #rng: Rng = createRng(0);
  #theta = 0;
  #thetaDot = 0;
  #ready = false;

  constructor(readonly g = 10.0) {
    if (!Number.isFinite(g)) throw new TwinforgeError('INVALID_ARGUMENT', `g must be finite, got ${g}`);
  }

  /** [θ, θ̇] in float64. */
  get state(): [number, number] {
    return [this.#theta, this.#thetaDot];
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const x = num(options.options?.xInit, Math.PI, 'xInit');
    const y = num(options.options?.yInit, 1, 'yInit');
    this.#theta = this.#rng.uniform(-x, x);
    this.#thetaDot = this.#rng.uniform(-y, y);
    this.#ready = true;
    return { observation: this.#obs(), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    if (!this.#ready) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    if (!(action instanceof Float32Array) || action.length !== 1 || Number.isNaN(action[0])) {
      throw new TwinforgeError('ENV_INVALID_ACTION', 'Pendulum action must be a Float32Array of length 1');
    }
    const u = Math.min(Math.max(action[0] as number, -MAX_TORQUE), MAX_TORQUE);
    const th = this.#theta;
    const thDot = this.#thetaDot;
    const cost = angleNormalize(th) ** 2 + 0.1 * thDot ** 2 + 0.001 * u ** 2;
    let newThDot = thDot + (((3 * this.g) / (2 * LENGTH)) * Math.sin(th) + (3 / (MASS * LENGTH ** 2)) * u) * DT;
    newThDot = Math.min(Math.max(newThDot, -MAX_SPEED), MAX_SPEED);
    this.#theta = th + newThDot * DT;
    this.#thetaDot = newThDot;
    return { observation: this.#obs(), reward: -cost, terminated: false, truncated: false, info: {} };
  }

  #obs(): Float32Array {
    return new Float32Array([Math.cos(this.#theta), Math.sin(this.#theta), this.#thetaDot]);
  }
}

/** Pendulum-v1: PendulumEnv under a 200-step TimeLimit. */
export function makePendulum(maxEpisodeSteps = 200, g = 10.0): TimeLimit<Float32Array, Float32Array> {
  return new TimeLimit(new PendulumEnv(g), maxEpisodeSteps);
}

/** θ mapped to [−π, π) with a floored modulo (Python's %, which Gymnasium relies on; JS % truncates). */
export function angleNormalize(x: number): number {
  const twoPi = 2 * Math.PI;
  const y = x + Math.PI;
  return y - twoPi * Math.floor(y / twoPi) - Math.PI;
}

function num(v: unknown, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new TwinforgeError('INVALID_ARGUMENT', `reset options.${name} must be a finite number`);
  }
  return v;
}
