import type { FeatureStats } from './feature-stats.js';

/**
 * Combines the statistics of two disjoint row sets (Chan et al.'s parallel variance), so a resumed dataset's
 * meta/stats.json covers old and new rows without decoding the old data files again.
 */
export function mergeFeatureStats(a: FeatureStats, b: FeatureStats): FeatureStats {
  const na = a.count[0] ?? 0;
  const nb = b.count[0] ?? 0;
  if (na === 0) return b;
  if (nb === 0) return a;
  const n = na + nb;
  const width = a.mean.length;
  const out: FeatureStats = { min: [], max: [], mean: [], std: [], count: [n] };
  for (let j = 0; j < width; j++) {
    const ma = a.mean[j] as number;
    const mb = b.mean[j] as number;
    const delta = mb - ma;
    const m2 = (a.std[j] as number) ** 2 * na + (b.std[j] as number) ** 2 * nb + (delta * delta * na * nb) / n;
    out.min.push(Math.min(a.min[j] as number, b.min[j] as number));
    out.max.push(Math.max(a.max[j] as number, b.max[j] as number));
    out.mean.push(ma + (delta * nb) / n);
    out.std.push(Math.sqrt(m2 / n));
  }
  return out;
}

/** Merges two stats.json objects feature by feature; a feature present in one only is kept as is. */
export function mergeStatsFiles(
  a: Record<string, FeatureStats>,
  b: Record<string, FeatureStats>,
): Record<string, FeatureStats> {
  const out: Record<string, FeatureStats> = { ...a };
  for (const [key, stats] of Object.entries(b)) {
    const old = out[key];
    out[key] = old === undefined ? stats : mergeFeatureStats(old, stats);
  }
  return out;
}
