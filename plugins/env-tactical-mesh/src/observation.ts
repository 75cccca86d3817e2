import { attemptSuccess } from './interference.js';
import type { MeshState } from './mesh-state.js';
import type { RadioModel } from './radio.js';

/**
 * Observation layout of one agent (all entries in [-1, 1]), what a radio can know locally (seed 003 §II: channel
 * conditions, neighbour status, traffic queue length) plus its GPS fix:
 *
 * own block (OWN_FEATURES + 3·K):
 *   0 alive · 1 queue fill · 2 age of the head packet / timeout · 3-4 position / area · 5-6 gateway − position
 *   (/ area) · 7 power level (0 lowest … 1 highest) · 8 own hop count / max hops (1 if cut off) · 9 ACK ratio of
 *   last step's transmissions · 10 load factor / 10 (surge indicator) · 11 air-time share granted last step ·
 *   then K channel one-hot · K interference+jamming level per channel, 10·log10(1 + I/N) / 40 · K jamming flags
 *   (jamming above the noise floor on that channel)
 * one block per neighbour slot (SLOT_FEATURES + K):
 *   0 present · 1 is the gateway · 2 its queue fill · 3 its hop count / max hops · 4 progress toward the gateway,
 *   (d(me, gw) − d(it, gw)) / neighbour range · then per channel the success probability of one attempt on the link at my
 *   current power (interference and jamming at both ends included)
 *
 * A failed node observes zeros except its position (its radio is dead).
 */
export const OWN_FEATURES = 12;
export const SLOT_FEATURES = 5;

export function observationSize(channels: number, slots: number): number {
  return OWN_FEATURES + 3 * channels + slots * (SLOT_FEATURES + channels);
}

export interface ObservationContext {
  readonly s: MeshState;
  readonly radio: RadioModel;
  readonly width: number;
  readonly height: number;
  readonly timeout_s: number;
  readonly maxHops: number;
  readonly time_s: number;
  readonly powerLevels: number;
  readonly neighborRange_m: number;
  /** Creation time of each node's head-of-queue packet (NaN when empty). */
  headCreated(node: number): number;
}

const clip = (v: number, lo = -1, hi = 1) => (v < lo ? lo : Math.min(v, hi));

/** Writes agent i's observation into `out`, which must be zero-filled (only non-zero entries are written). */
export function writeObservation(ctx: ObservationContext, i: number, out: Float32Array): Float32Array {
  const { s, radio } = ctx;
  const K = s.channels;
  out[3] = clip((s.posX[i] as number) / ctx.width, 0, 1);
  out[4] = clip((s.posY[i] as number) / ctx.height, 0, 1);
  if (s.alive[i] === 0) return out;
  out[0] = 1;
  const qLen = s.queueLen[i] as number;
  out[1] = qLen / s.queueCap;
  if (qLen > 0) out[2] = clip((ctx.time_s - ctx.headCreated(i)) / ctx.timeout_s, 0, 1);
  out[5] = clip(((s.posX[s.gw] as number) - (s.posX[i] as number)) / ctx.width);
  out[6] = clip(((s.posY[s.gw] as number) - (s.posY[i] as number)) / ctx.height);
  out[7] = ctx.powerLevels > 1 ? (s.powerLevel[i] as number) / (ctx.powerLevels - 1) : 1;
  const h = s.hop[i] as number;
  out[8] = h < 0 ? 1 : clip(h / ctx.maxHops, 0, 1);
  const att = s.txAttempts[i] as number;
  out[9] = att > 0 ? (s.txSuccess[i] as number) / att : 0;
  out[10] = clip((s.loadFactor[i] as number) / 10, 0, 1);
  out[11] = s.share[i] as number;
  let o = OWN_FEATURES;
  out[o + (s.channel[i] as number)] = 1;
  o += K;
  for (let c = 0; c < K; c++) {
    const inr = (s.interfW[i * K + c] as number) / radio.noiseW;
    out[o + c] = clip((10 * Math.log10(1 + inr)) / 40, 0, 1);
    out[o + K + c] = (s.jamW[i * K + c] as number) > radio.noiseW ? 1 : 0;
  }
  o += 2 * K;
  const dMe = s.distGw[i] as number;
  const power = s.txPowerW[i] as number;
  for (let m = 0; m < s.slots; m++, o += SLOT_FEATURES + K) {
    const j = s.neighbors[i * s.slots + m] as number;
    if (j < 0) continue;
    out[o] = 1;
    if (j === s.gw) {
      out[o + 1] = 1;
    } else {
      out[o + 2] = (s.queueLen[j] as number) / s.queueCap;
      const hj = s.hop[j] as number;
      out[o + 3] = hj < 0 ? 1 : clip(hj / ctx.maxHops, 0, 1);
    }
    out[o + 4] = clip((dMe - (s.distGw[j] as number)) / ctx.neighborRange_m);
    for (let c = 0; c < K; c++) {
      out[o + SLOT_FEATURES + c] = attemptSuccess(s, radio, i, j, c, power);
    }
  }
  return out;
}
