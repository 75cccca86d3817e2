import type { Rng } from '@twinforge/core';

/** `n` distinct items of `rows` in a seeded random order (all of them when n ≥ rows.length). */
export function pick<T>(rows: readonly T[], n: number, rng: Rng): T[] {
  return rng.shuffle(rows).slice(0, Math.min(n, rows.length));
}

/** CPU seconds (user + system) of this process since `start`. */
export function cpuSeconds(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

export const fmt = (v: number, d = 3) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : String(v));
