import { validateConfig } from '@twinforge/core';
import { z } from 'zod';

/**
 * Configuration of the tactical mesh. Defaults follow seed 003 (EdgeAgentX-DT §VII: N = 20 mobile nodes and one
 * gateway in 5 km × 5 km, 100 steps per episode) and, where the paper gives no number, a UHF manpack MANET radio;
 * every such choice is listed in the README. Units are in the field names; dB/dBm only at this edge.
 */
export const rewardConfigSchema = z.strictObject({
  /** 'global': every agent gets the network reward (cooperative, as MADDPG in the paper); 'local': each agent the
   * reward of the packets it originated (scaled by N so the two are comparable); 'mixed': a blend. */
  mode: z.enum(['global', 'local', 'mixed']).default('global'),
  /** Share of the local reward in 'mixed' mode. */
  localShare: z.number().min(0).max(1).default(0.5),
  /** Reward per Mbps delivered to the gateway in the step. */
  throughputWeight: z.number().min(0).default(1),
  /** Penalty per millisecond of mean end-to-end latency of the packets delivered in the step. */
  latencyWeight: z.number().min(0).default(0.01),
  /** Penalty per Mbps dropped in the step (all causes). */
  dropWeight: z.number().min(0).default(1),
});

export const mobilityConfigSchema = z.strictObject({
  /** 'random-waypoint' (seed 003: mobile nodes) or 'static' (nodes stay where they start). */
  model: z.enum(['random-waypoint', 'static']).default('random-waypoint'),
  /** Random waypoint (Johnson & Maltz): speed uniform in [min, max] m/s, pause at each waypoint. */
  minSpeed_mps: z.number().positive().default(1),
  maxSpeed_mps: z.number().positive().default(5),
  pause_s: z.number().min(0).default(5),
});

export const tacticalMeshConfigSchema = z
  .strictObject({
    /** Mobile radios, one agent each (the gateway is not an agent). */
    nodes: z.number().int().min(1).max(5000).default(20),
    width_m: z.number().positive().default(5000),
    height_m: z.number().positive().default(5000),
    /** Fixed gateway (command-post uplink); default: middle of the southern edge, 250 m inside the area. */
    gateway: z.strictObject({ x_m: z.number(), y_m: z.number() }).optional(),
    /** Steps per episode (seed 003: 100 time steps). */
    horizon: z.number().int().min(1).default(100),
    /** Simulated seconds per step; events are quantised to step starts. */
    dt_s: z.number().positive().default(1),
    channels: z.number().int().min(1).max(64).default(3),
    /** Transmit power levels an agent chooses from, ascending; the last is the maximum the baselines use. */
    powerLevels_dBm: z.array(z.number().min(-30).max(60)).min(1).max(32).default([25, 29, 33, 37]),
    /** Neighbour slots per node in observations and actions. */
    maxNeighbors: z.number().int().min(1).max(64).default(8),
    frequency_Hz: z.number().positive().default(400e6),
    /** Log-distance exponent (ground-to-ground, light terrain). */
    pathLossExponent: z.number().min(1.5).max(6).default(3),
    /** Log-normal shadowing per node pair, drawn at reset (σ in dB; 0 turns it off). */
    shadowingSigma_dB: z.number().min(0).max(20).default(4),
    bandwidth_Hz: z.number().positive().default(5e6),
    noiseFigure_dB: z.number().min(0).max(30).default(7),
    /** SINR the fixed modulation needs; the PHY rate is B·log2(1 + threshold). */
    sinrThreshold_dB: z.number().min(-10).max(40).default(10),
    /** A neighbour is a node with which one two-way attempt (frames out and replies back) at maximum power, without
     * interference, succeeds with at least this probability. */
    neighborSuccess: z.number().gt(0).lt(1).default(0.5),
    /** Link-layer retransmissions after a failed attempt (ARQ); a packet is lost after retries + 1 failures. */
    retries: z.number().int().min(0).max(15).default(3),
    /** Received power above which two transmitters defer to each other (CSMA/CA with RTS/CTS). */
    carrierSense_dBm: z.number().min(-150).max(0).default(-95),
    packetBits: z.number().int().min(8).default(12_000),
    /** Total offered load of all nodes together before surges (Mbps), split evenly; a scenario may override it. */
    offeredLoad_Mbps: z.number().min(0).default(4),
    /** Queue capacity per node, packets (arrivals beyond it are dropped). */
    queuePackets: z.number().int().min(1).max(100_000).default(200),
    /** Packets older than this are dropped when they reach the head of a queue (or at the end of a step). */
    packetTimeout_s: z.number().positive().default(10),
    /** Packets are dropped after this many hops (guards against routing loops). */
    maxHops: z.number().int().min(1).max(255).default(16),
    mobility: mobilityConfigSchema.prefault({}),
    reward: rewardConfigSchema.prefault({}),
  })
  .superRefine((c, ctx) => {
    for (let i = 1; i < c.powerLevels_dBm.length; i++) {
      if (!((c.powerLevels_dBm[i] as number) > (c.powerLevels_dBm[i - 1] as number))) {
        ctx.addIssue({ code: 'custom', path: ['powerLevels_dBm', i], message: 'power levels must be ascending' });
      }
    }
    if (c.mobility.maxSpeed_mps < c.mobility.minSpeed_mps) {
      ctx.addIssue({ code: 'custom', path: ['mobility', 'maxSpeed_mps'], message: 'must be >= minSpeed_mps' });
    }
    const g = c.gateway;
    if (g && (g.x_m < 0 || g.x_m > c.width_m || g.y_m < 0 || g.y_m > c.height_m)) {
      ctx.addIssue({ code: 'custom', path: ['gateway'], message: 'gateway must lie inside the area' });
    }
  });

export type TacticalMeshConfigInput = z.input<typeof tacticalMeshConfigSchema>;
export type TacticalMeshConfig = z.output<typeof tacticalMeshConfigSchema>;
export type RewardConfig = z.output<typeof rewardConfigSchema>;

/** Parses and defaults a config; errors are CONFIG_INVALID naming the field. */
export function tacticalMeshConfig(input: TacticalMeshConfigInput = {}): TacticalMeshConfig {
  return validateConfig(tacticalMeshConfigSchema, input, 'tactical-mesh config');
}

/** The gateway position of a config (default: middle of the southern edge, 250 m inside). */
export function gatewayPosition(c: TacticalMeshConfig): { x: number; y: number } {
  return c.gateway ? { x: c.gateway.x_m, y: c.gateway.y_m } : { x: c.width_m / 2, y: Math.min(250, c.height_m / 2) };
}
