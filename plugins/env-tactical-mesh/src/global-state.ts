import type { Jammer } from '@twinforge/physics';
import type { TacticalMeshConfig } from './config.js';
import type { MeshState } from './mesh-state.js';
import type { RadioModel } from './radio.js';

/** Per-node features in `state()`, before the channel one-hot and jamming flags. */
export const STATE_NODE_FEATURES = 9;
/** Features per jammer slot in `state()`: active, x, y, radius, power, channel. */
export const STATE_JAMMER_FEATURES = 6;
/** Global features at the end of `state()`: time / horizon, gateway x, gateway y. */
export const STATE_GLOBAL_FEATURES = 3;

export function stateSize(nodes: number, channels: number, jammerSlots: number): number {
  return nodes * (STATE_NODE_FEATURES + 2 * channels) + jammerSlots * STATE_JAMMER_FEATURES + STATE_GLOBAL_FEATURES;
}

/** Jammer slots in `state()`; more active jammers than this are summarised by the first ones (by id). */
export const STATE_JAMMER_SLOTS = 4;

const clip01 = (v: number) => (v < 0 ? 0 : Math.min(v, 1));

/**
 * The global state for centralised critics (MADDPG), all entries in [-1, 1]:
 * per node (STATE_NODE_FEATURES + 2K): alive, x, y, queue fill, hop count / max hops (1 if cut off), power level,
 * load factor / 10, granted air-time share, activity, then channel one-hot and jamming flags per channel;
 * per jammer slot (up to STATE_JAMMER_SLOTS, by id): active, x, y, radius / area side, log10(power W) / 3, channel;
 * then time / horizon and the gateway position.
 */
export function writeState(
  s: MeshState,
  radio: RadioModel,
  c: TacticalMeshConfig,
  jammers: ReadonlyMap<number, Jammer>,
  step: number,
  out: Float32Array,
): Float32Array {
  const K = s.channels;
  const per = STATE_NODE_FEATURES + 2 * K;
  const levels = c.powerLevels_dBm.length;
  for (let i = 0; i < s.n; i++) {
    const o = i * per;
    out[o] = s.alive[i] as number;
    out[o + 1] = clip01((s.posX[i] as number) / c.width_m);
    out[o + 2] = clip01((s.posY[i] as number) / c.height_m);
    out[o + 3] = (s.queueLen[i] as number) / s.queueCap;
    const h = s.hop[i] as number;
    out[o + 4] = h < 0 ? 1 : clip01(h / c.maxHops);
    out[o + 5] = levels > 1 ? (s.powerLevel[i] as number) / (levels - 1) : 1;
    out[o + 6] = clip01((s.loadFactor[i] as number) / 10);
    out[o + 7] = s.share[i] as number;
    out[o + 8] = clip01(s.activity[i] as number);
    out[o + STATE_NODE_FEATURES + (s.channel[i] as number)] = 1;
    for (let ch = 0; ch < K; ch++) {
      out[o + STATE_NODE_FEATURES + K + ch] = (s.jamW[i * K + ch] as number) > radio.noiseW ? 1 : 0;
    }
  }
  let o = s.n * per;
  const ids = [...jammers.keys()].sort((a, b) => a - b).slice(0, STATE_JAMMER_SLOTS);
  for (const id of ids) {
    const j = jammers.get(id) as Jammer;
    out[o] = 1;
    out[o + 1] = clip01(j.position.x / c.width_m);
    out[o + 2] = clip01(j.position.y / c.height_m);
    out[o + 3] = clip01((j.radiusM ?? 0) / Math.max(c.width_m, c.height_m));
    out[o + 4] = Math.max(-1, Math.min(1, Math.log10(Math.max(j.powerW, 1e-12)) / 3));
    out[o + 5] = K > 1 ? (j.channel ?? 0) / (K - 1) : 0;
    o += STATE_JAMMER_FEATURES;
  }
  o = s.n * per + STATE_JAMMER_SLOTS * STATE_JAMMER_FEATURES;
  out[o] = clip01(step / c.horizon);
  out[o + 1] = clip01((s.posX[s.gw] as number) / c.width_m);
  out[o + 2] = clip01((s.posY[s.gw] as number) / c.height_m);
  return out;
}
