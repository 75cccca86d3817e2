import { type Jammer, jammingPower } from '@twinforge/physics';
import type { MeshState } from './mesh-state.js';
import { pathGain, type RadioModel } from './radio.js';

/**
 * Jamming power at every receiver (radios and gateway) on each jammer's channel: P_J·g(d) inside the jammer's
 * radius, nothing outside it or on other channels (physics `jammingPower`; seed 003: a jammer disrupts the nodes
 * within its radius). Jammers see no shadowing: their antennas are assumed elevated.
 */
export function updateJamming(s: MeshState, radio: RadioModel, jammers: Iterable<Jammer>): void {
  const { jamW, channels } = s;
  jamW.fill(0);
  const gainAt = (d: number) => pathGain(radio, d);
  for (const jammer of jammers) {
    const c = jammer.channel ?? 0;
    for (let r = 0; r < s.stride; r++) {
      const dx = (s.posX[r] as number) - jammer.position.x;
      const dy = (s.posY[r] as number) - jammer.position.y;
      // A receiver exactly on the jammer is nudged to the 1 m reference distance (jammingPower rejects d = 0).
      const rx =
        dx === 0 && dy === 0
          ? { x: jammer.position.x + 1, y: jammer.position.y }
          : { x: s.posX[r] as number, y: s.posY[r] as number };
      jamW[r * channels + c] = (jamW[r * channels + c] as number) + jammingPower(jammer, rx, gainAt, c);
    }
  }
}

/**
 * What a transmission to receiver r on channel c must overcome besides noise: jamming, the scenario's background
 * field, and co-channel transmitters the receiver cannot silence. Under CSMA/CA with RTS/CTS, a transmitter whose
 * signal at r exceeds the carrier-sense level hears r's CTS and defers, so only weaker ("hidden") transmitters
 * interfere, each weighted by the fraction of time it was on the air last step (mean-field interference).
 */
export function updateInterference(s: MeshState, radio: RadioModel): void {
  const { interfW, jamW, backgroundW, channels, stride, gain, txPowerW, activity, channel, alive, n } = s;
  const cs = radio.carrierSenseW;
  for (let r = 0; r < stride; r++) {
    const bg = backgroundW[r] as number;
    for (let c = 0; c < channels; c++) interfW[r * channels + c] = (jamW[r * channels + c] as number) + bg;
    const row = r * stride;
    for (let k = 0; k < n; k++) {
      if (k === r || alive[k] === 0) continue;
      const a = activity[k] as number;
      if (a <= 0) continue;
      const p = (txPowerW[k] as number) * (gain[row + k] as number);
      if (p >= cs) continue;
      const idx = r * channels + (channel[k] as number);
      interfW[idx] = (interfW[idx] as number) + a * p;
    }
  }
}

/**
 * Air-time share of every transmitting node. Co-channel transmitters that sense each other (either one's signal at
 * the other above the carrier-sense level) form a contention domain and share the channel in proportion to last
 * step's demand; when the domain's demands sum to at most one, a node gets whatever the others leave. A floor on
 * demand keeps a node that was idle last step from starving.
 */
export function updateShares(s: MeshState, radio: RadioModel): void {
  const { share, demand, nextHop, alive, channel, txPowerW, gain, stride, n } = s;
  const cs = radio.carrierSenseW;
  const floor = 0.01;
  for (let i = 0; i < n; i++) {
    if (alive[i] === 0 || (nextHop[i] as number) < 0) {
      share[i] = 0;
      continue;
    }
    const ci = channel[i] as number;
    const pi = txPowerW[i] as number;
    const row = i * stride;
    let others = 0;
    for (let k = 0; k < n; k++) {
      if (k === i || alive[k] === 0 || (nextHop[k] as number) < 0 || channel[k] !== ci) continue;
      const pk = txPowerW[k] as number;
      if (Math.max(pi, pk) * (gain[row + k] as number) < cs) continue;
      const dk = demand[k] as number;
      others += Math.max(dk, floor);
    }
    const di = Math.max(demand[i] as number, floor);
    const leftover = 1 - others;
    const proportional = di / (di + others);
    const sh = Math.max(leftover, proportional);
    share[i] = Math.min(sh, 1);
  }
}

/**
 * Mean SINR at receiver `rx` of a frame from `tx` on channel c at power p: p·g / (N + I), where I is rx's
 * interference on c minus tx's own mean-field share when tx counts as hidden from rx.
 */
export function sinrAt(s: MeshState, radio: RadioModel, rx: number, tx: number, c: number, powerW: number): number {
  const g = s.gain[tx * s.stride + rx] as number;
  const signal = powerW * g;
  let interference = s.interfW[rx * s.channels + c] as number;
  if (tx < s.n && s.channel[tx] === c && s.alive[tx] === 1) {
    const own = (s.txPowerW[tx] as number) * g;
    if (own < radio.carrierSenseW) interference -= (s.activity[tx] as number) * own;
  }
  return signal / (radio.noiseW + Math.max(interference, 0));
}

/** Mean SINR of the data direction of the link i → j (at the receiver j). */
export function linkSinr(s: MeshState, radio: RadioModel, i: number, j: number, c: number, powerW: number): number {
  return sinrAt(s, radio, j, i, c, powerW);
}

/**
 * Success probability of one transmission attempt on i → j: the frames towards j (RTS, DATA) must be decoded at j and
 * the frames back (CTS, ACK) at i, each under independent Rayleigh fading, so P = P_fwd · P_rev (the forward ×
 * reverse delivery ratio of ETX, De Couto et al. 2003). The reply is sent at the same power on the same channel.
 * Jamming at either end therefore disrupts the link, as seed 003 has it for "all nodes" in the jammer's radius.
 */
export function attemptSuccess(
  s: MeshState,
  radio: RadioModel,
  i: number,
  j: number,
  c: number,
  powerW: number,
): number {
  // exp(-γ/a)·exp(-γ/b) in one exp: this runs M·K times per agent per step for the observations.
  const fwd = sinrAt(s, radio, j, i, c, powerW);
  const rev = sinrAt(s, radio, i, j, c, powerW);
  if (!(fwd > 0 && rev > 0)) return 0;
  return Math.exp(-radio.sinrThreshold * (1 / fwd + 1 / rev));
}
