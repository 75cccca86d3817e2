import type { Grid } from '@twinforge/core';
import { jammingPower } from '@twinforge/physics';
import { attemptSuccess } from './interference.js';
import { packetSuccess, pathGain } from './radio.js';
import { gridValueAt } from './scenario-maps.js';
import type { TacticalMeshEnv } from './tactical-mesh-env.js';

/** Jamming below this is written as this value in dBm (no jammer reaches the cell). */
export const JAMMING_FLOOR_DBM = -150;

/** The maps of one moment of an episode, the state representation of seed 003's diffusion model. */
export interface MeshGrids {
  /** Best two-way attempt success a radio at the cell centre would have into the mesh, in [0, 1]. */
  readonly linkQuality: Grid;
  /** Noise of one channel plus all interference and jamming summed over channels, dBm. */
  readonly interference: Grid;
  /** Jamming alone summed over channels, dBm (floored at JAMMING_FLOOR_DBM); the env reads it back as `jamming_dBm`. */
  readonly jamming: Grid;
}

const toDbm = (w: number) => 10 * Math.log10(w) + 30;

/**
 * Renders the current state of a mesh onto a w×h grid of square cells covering the area (cell size max(W/w, H/h),
 * data row-major from the origin, row = y). At each cell centre p:
 * - interference: N + Σ_c [Σ jammers on c of P_J·g(d) inside their radius + Σ live co-channel transmitters of
 *   activity·P·g(d) + the scenario's background field], the raw RF energy a receiver would measure;
 * - jamming: the jammer term alone;
 * - link quality: max over live nodes k (and the gateway, on its best channel) of the two-way attempt success between
 *   a radio at p at maximum power and k on k's channel, with k's interference as the env computes it and at p the
 *   interference of transmitters p could not silence (below the carrier-sense level), as in attemptSuccess.
 * Path gains from a cell use the log-distance model without shadowing (shadowing is drawn per node pair).
 */
export function renderGrids(env: TacticalMeshEnv, w: number, h: number): MeshGrids {
  const c = env.config;
  const radio = env.radio;
  const s = env.view;
  const K = s.channels;
  const cell = Math.max(c.width_m / w, c.height_m / h);
  const lq = new Float32Array(w * h);
  const inter = new Float32Array(w * h);
  const jam = new Float32Array(w * h);
  const raw = new Float64Array(K);
  const hidden = new Float64Array(K);
  const background = env.scenario?.maps?.jamming_dBm;
  const gainAt = (d: number) => pathGain(radio, d);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const x = (col + 0.5) * cell;
      const y = (row + 0.5) * cell;
      raw.fill(0);
      hidden.fill(0);
      let jamW = 0;
      for (const j of env.jammers.values()) {
        const dx = x - j.position.x;
        const dy = y - j.position.y;
        const p = jammingPower(j, dx === 0 && dy === 0 ? { x: x + 1, y } : { x, y }, gainAt);
        const ch = j.channel ?? 0;
        raw[ch] = (raw[ch] as number) + p;
        hidden[ch] = (hidden[ch] as number) + p;
        jamW += p;
      }
      const bgDbm = background ? gridValueAt(background, x, y) : undefined;
      const bg = bgDbm !== undefined && Number.isFinite(bgDbm) ? 10 ** ((bgDbm - 30) / 10) : 0;
      for (let k = 0; k < s.n; k++) {
        if (s.alive[k] === 0 || (s.activity[k] as number) <= 0) continue;
        const p =
          (s.txPowerW[k] as number) * pathGain(radio, Math.hypot((s.posX[k] as number) - x, (s.posY[k] as number) - y));
        const ch = s.channel[k] as number;
        raw[ch] = (raw[ch] as number) + (s.activity[k] as number) * p;
        if (p < radio.carrierSenseW) hidden[ch] = (hidden[ch] as number) + (s.activity[k] as number) * p;
      }
      let total = radio.noiseW;
      for (let ch = 0; ch < K; ch++) total += (raw[ch] as number) + bg;
      let best = 0;
      for (let k = 0; k <= s.n; k++) {
        if (s.alive[k] === 0) continue;
        const g = pathGain(radio, Math.hypot((s.posX[k] as number) - x, (s.posY[k] as number) - y));
        const signal = radio.maxPowerW * g;
        const c0 = k === s.gw ? 0 : (s.channel[k] as number);
        const c1 = k === s.gw ? K - 1 : c0;
        for (let ch = c0; ch <= c1; ch++) {
          const atNode = signal / (radio.noiseW + (s.interfW[k * K + ch] as number));
          const atCell = signal / (radio.noiseW + (hidden[ch] as number) + bg);
          const q = packetSuccess(radio, atNode) * packetSuccess(radio, atCell);
          if (q > best) best = q;
        }
      }
      const idx = row * w + col;
      lq[idx] = best;
      inter[idx] = toDbm(total);
      jam[idx] = jamW > 0 ? Math.max(JAMMING_FLOOR_DBM, toDbm(jamW)) : JAMMING_FLOOR_DBM;
    }
  }
  return {
    linkQuality: { width: w, height: h, cellSize_m: cell, unit: 'ratio', data: lq },
    interference: { width: w, height: h, cellSize_m: cell, unit: 'dBm', data: inter },
    jamming: { width: w, height: h, cellSize_m: cell, unit: 'dBm', data: jam },
  };
}

/**
 * Pairwise link-quality matrix ((N+1)×(N+1), row-major, the gateway last): entry (i, j) is the two-way attempt
 * success of i → j at maximum power on i's current channel (the gateway's row mirrors its column); 0 on the diagonal
 * and for failed nodes. Seed 003: "a matrix X of link qualities between nodes".
 */
export function linkMatrix(env: TacticalMeshEnv): Float32Array {
  const s = env.view;
  const radio = env.radio;
  const out = new Float32Array(s.stride * s.stride);
  for (let i = 0; i < s.n; i++) {
    if (s.alive[i] === 0) continue;
    for (let j = 0; j <= s.n; j++) {
      if (j === i || s.alive[j] === 0) continue;
      out[i * s.stride + j] = attemptSuccess(s, radio, i, j, s.channel[i] as number, radio.maxPowerW);
    }
    out[s.gw * s.stride + i] = out[i * s.stride + s.gw] as number;
  }
  return out;
}
