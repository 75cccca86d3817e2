import type { RewardConfig } from './config.js';
import type { MeshMetrics } from './metrics.js';
import type { StepCounters } from './step-counters.js';

/**
 * The configurable reward of seed 003's objective: throughput minus a latency penalty minus drops,
 * r = w_tp·throughput[Mbps] − w_lat·latency[ms] − w_drop·dropped[Mbps].
 * 'global' gives every agent the network value (the cooperative reward of MADDPG with a centralised critic);
 * 'local' scores each agent on the packets it originated, with throughput and drops scaled by N so a node carrying
 * its fair share scores like the network; 'mixed' blends the two. Writes one value per node into `out`.
 */
export function computeRewards(
  cfg: RewardConfig,
  m: MeshMetrics,
  c: StepCounters,
  mbpsPerPacket: number,
  out: Float64Array,
): void {
  const global =
    cfg.throughputWeight * m.throughput_Mbps -
    cfg.latencyWeight * m.latency_ms -
    cfg.dropWeight * m.dropped * mbpsPerPacket;
  const n = out.length;
  if (cfg.mode === 'global') {
    out.fill(global);
    return;
  }
  const share = cfg.mode === 'local' ? 1 : cfg.localShare;
  for (let i = 0; i < n; i++) {
    const delivered = c.deliveredBy[i] as number;
    const latencyMs = delivered > 0 ? ((c.latencyBy_s[i] as number) / delivered) * 1000 : 0;
    const local =
      cfg.throughputWeight * delivered * mbpsPerPacket * n -
      cfg.latencyWeight * latencyMs -
      cfg.dropWeight * (c.droppedBy[i] as number) * mbpsPerPacket * n;
    out[i] = (1 - share) * global + share * local;
  }
}
