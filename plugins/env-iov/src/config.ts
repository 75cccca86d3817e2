import { z } from 'zod';

/** One access point beside the road (the road is the x axis, y is the perpendicular offset). */
export const accessPointSchema = z.strictObject({
  name: z.string().default('ap'),
  x_m: z.number(),
  y_m: z.number(),
  /** Coverage radius: the AP serves points within this distance (3-D distance on the ground plane). */
  coverageRadius_m: z.number().positive(),
  bandwidth_Hz: z.number().positive(),
  txPower_dBm: z.number().min(-30).max(70),
  /** Price of one transmission through this AP, in reward units (charged once a transmission starts). */
  cost: z.number().min(0),
});
export type AccessPointConfig = z.output<typeof accessPointSchema>;

/**
 * The default layout: a macro cell far from a 1 km road (always reachable, slow, expensive), two road-side units
 * (fast, medium cost, 300 m of road each) and two small cells (fastest, cheap, 120 m of road each). Which AP is best
 * depends on where the vehicle is, how big the task is, and whether it can be delivered before the vehicle leaves
 * coverage: the trade-off seed 001 §IV-A describes. Numbers are ours (the paper gives none); see README.
 */
export const DEFAULT_ACCESS_POINTS: readonly AccessPointConfig[] = [
  { name: 'macro', x_m: 500, y_m: 400, coverageRadius_m: 1000, bandwidth_Hz: 5e6, txPower_dBm: 46, cost: 3 },
  { name: 'rsu-1', x_m: 250, y_m: 10, coverageRadius_m: 150, bandwidth_Hz: 10e6, txPower_dBm: 30, cost: 1.5 },
  { name: 'rsu-2', x_m: 750, y_m: 10, coverageRadius_m: 150, bandwidth_Hz: 10e6, txPower_dBm: 30, cost: 1.5 },
  { name: 'small-1', x_m: 120, y_m: 5, coverageRadius_m: 60, bandwidth_Hz: 40e6, txPower_dBm: 20, cost: 0.5 },
  { name: 'small-2', x_m: 620, y_m: 5, coverageRadius_m: 60, bandwidth_Hz: 40e6, txPower_dBm: 20, cost: 0.5 },
];

export const iovConfigSchema = z
  .strictObject({
    roadLength_m: z.number().positive().default(1000),
    /** Constant vehicle speed (the paper: "a straight line at a constant speed"). */
    speed_mps: z.number().positive().default(20),
    /** Tasks per episode: one decision each; task i is generated at a uniform time within the i-th road segment. */
    tasksPerEpisode: z.number().int().min(1).default(10),
    minTaskBits: z.number().positive().default(5e6),
    maxTaskBits: z.number().positive().default(60e6),
    /** Hard deadline from task generation to full delivery. */
    deadline_s: z.number().positive().default(2),
    accessPoints: z
      .array(accessPointSchema)
      .min(1)
      .default([...DEFAULT_ACCESS_POINTS]),
    /** Log-distance path loss PL(d) = PL(d0) + 10·n·log10(d/d0); the twin may calibrate n and PL(d0). */
    pathLossExponent: z.number().min(0).default(3.2),
    pathLossRef_dB: z.number().default(40),
    refDistance_m: z.number().positive().default(1),
    noiseFigure_dB: z.number().min(0).default(7),
    /** Step of the grid on which delivered bits are integrated along the road. */
    gridStep_m: z.number().positive().max(10).default(1),
    reward: z
      .strictObject({
        /** Reward of a task delivered within its deadline. */
        success: z.number().default(10),
        /** Subtracted × latency / deadline on success. */
        latencyWeight: z.number().min(0).default(3),
        /** Subtracted × AP cost whenever a transmission started. */
        costWeight: z.number().min(0).default(1),
        /** Subtracted on failure. */
        failurePenalty: z.number().min(0).default(2),
      })
      .prefault({}),
  })
  .refine((c) => c.maxTaskBits >= c.minTaskBits, {
    message: 'maxTaskBits must be >= minTaskBits',
    path: ['maxTaskBits'],
  });

export type IovConfig = z.output<typeof iovConfigSchema>;
export type IovConfigInput = z.input<typeof iovConfigSchema>;
