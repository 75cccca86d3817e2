import type { Rng } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import { requireFinite, requireNonNegative, requirePositive } from './validate.js';

/** Options of simulateFifoQueue. Rates in 1/s, horizon in s. */
export interface FifoQueueOptions {
  /** Poisson arrival rate λ (1/s). */
  readonly arrivalRate: number;
  /** Service rate μ (1/s): exponential service times by default, 1/μ exactly when `deterministicService`. */
  readonly serviceRate: number;
  readonly deterministicService?: boolean;
  /** Maximum customers in system (waiting + in service); arrivals beyond it are dropped. Default Infinity. */
  readonly capacity?: number;
  /** Probability that an arrival is lost before entering (e.g. packet loss under jamming). Default 0. */
  readonly lossProbability?: number;
  /** Simulated time T (s). */
  readonly horizon: number;
  readonly rng: Rng;
}

/** Sample-path results of a FIFO single-server queue over [0, T]. */
export interface FifoQueueResult {
  readonly arrivals: number;
  readonly departures: number;
  /** Customers still in the system at T. */
  readonly backlog: number;
  /** Arrivals dropped (full buffer or loss). */
  readonly drops: number;
  /** Time-average number in system, (1/T)∫N(t)dt. */
  readonly meanInSystem: number;
  /** Mean time in system over admitted customers, counting only time inside [0, T]. */
  readonly meanTimeInSystem: number;
  /** Admitted arrivals per second. */
  readonly admittedRate: number;
  /** Mean sojourn of customers that departed before T. */
  readonly meanSojournCompleted: number;
}

/**
 * Event-driven simulation of a FIFO single-server queue (M/M/1/K or M/D/1/K) with arrival losses. Conserves flow:
 * arrivals = departures + backlog + drops; on the sample path L = λ_admitted·W (Little's law) holds exactly when W
 * counts time inside [0, T]. Randomness only from `rng`.
 */
export function simulateFifoQueue(opts: FifoQueueOptions): FifoQueueResult {
  const lambda = requirePositive(opts.arrivalRate, 'arrivalRate');
  const mu = requirePositive(opts.serviceRate, 'serviceRate');
  const T = requirePositive(opts.horizon, 'horizon');
  const cap = opts.capacity ?? Number.POSITIVE_INFINITY;
  if (!(cap >= 1)) throw new TwinforgeError('PHYSICS_INVALID_INPUT', `capacity must be >= 1, got ${cap}`);
  const loss = requireNonNegative(opts.lossProbability ?? 0, 'lossProbability');
  if (loss > 1) throw new TwinforgeError('PHYSICS_INVALID_INPUT', `lossProbability must be <= 1, got ${loss}`);
  requireFinite(T, 'horizon');
  const rng = opts.rng;
  const service = (): number => (opts.deterministicService ? 1 / mu : rng.exponential(mu));

  // Arrival times of customers in system, FIFO ring (grow on demand).
  let queue = new Float64Array(64);
  let head = 0;
  let size = 0;
  let arrivals = 0;
  let departures = 0;
  let drops = 0;
  let area = 0; // ∫ N(t) dt
  let sojournCompleted = 0;
  let lastT = 0;
  let nextArrival = rng.exponential(lambda);
  let nextDeparture = Number.POSITIVE_INFINITY;

  const advance = (t: number): void => {
    area += size * (t - lastT);
    lastT = t;
  };

  while (true) {
    const t = Math.min(nextArrival, nextDeparture);
    if (t > T) break;
    advance(t);
    if (nextArrival <= nextDeparture) {
      arrivals++;
      nextArrival = t + rng.exponential(lambda);
      if ((loss > 0 && rng.uniform() < loss) || size >= cap) {
        drops++;
        continue;
      }
      if (size === queue.length) {
        const bigger = new Float64Array(queue.length * 2);
        for (let i = 0; i < size; i++) bigger[i] = queue[(head + i) % queue.length] as number;
        queue = bigger;
        head = 0;
      }
      queue[(head + size) % queue.length] = t;
      size++;
      if (size === 1) nextDeparture = t + service();
    } else {
      const arrivedAt = queue[head] as number;
      head = (head + 1) % queue.length;
      size--;
      departures++;
      sojournCompleted += t - arrivedAt;
      nextDeparture = size > 0 ? t + service() : Number.POSITIVE_INFINITY;
    }
  }
  advance(T);
  let residual = 0;
  for (let i = 0; i < size; i++) residual += T - (queue[(head + i) % queue.length] as number);
  const admitted = departures + size;
  return {
    arrivals,
    departures,
    backlog: size,
    drops,
    meanInSystem: area / T,
    meanTimeInSystem: admitted === 0 ? 0 : (sojournCompleted + residual) / admitted,
    admittedRate: admitted / T,
    meanSojournCompleted: departures === 0 ? 0 : sojournCompleted / departures,
  };
}
