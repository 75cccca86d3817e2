import { validateConfig } from '@twinforge/core';
import { z } from 'zod';
import {
  MEC_SCENARIO_NAMES,
  MEC_SCENARIOS,
  type MecScenarioName,
  TABLE_I,
  TASK_TYPE_NAMES,
  TASK_TYPES,
} from './presets.js';

const positive = () => z.number().positive().finite();

/** Configuration of the `mec` environment; every field but `scenario` overrides the preset or Table I. */
export const mecEnvConfigSchema = z
  .strictObject({
    /** Scenario of seed 004 §V: MECs × IoTDs. */
    scenario: z.enum(MEC_SCENARIO_NAMES as [MecScenarioName, ...MecScenarioName[]]).default('10x200'),
    devices: z.number().int().min(1).max(100_000).optional(),
    mecs: z.number().int().min(1).max(256).optional(),
    /** φT, φE of Eq. 10 from the task type of §V-C, unless given. */
    taskType: z.enum(TASK_TYPE_NAMES as [keyof typeof TASK_TYPES, ...(keyof typeof TASK_TYPES)[]]).default('normal'),
    phiT: positive().optional(),
    phiE: z.number().min(0).finite().optional(),
    /** D_i, bits (Table I: 100 kB). */
    dataBits: positive().default(TABLE_I.dataBits),
    /** F_i, CPU cycles (Table I: 1e9). */
    cycles: positive().default(TABLE_I.cycles),
    localCpuHz: positive().default(TABLE_I.localCpuHz),
    maxTxPowerW: positive().default(TABLE_I.maxTxPowerW),
    bandwidthHz: positive().default(TABLE_I.bandwidthHz),
    /** σ² of Eq. 2, W (Table I's "noise spectral density 1e-12 W/Hz" read as the noise power; see physics). */
    noisePowerW: positive().default(TABLE_I.noisePowerW),
    /** β0 of Eq. 3 (not in the paper: -30 dB at 1 m). */
    beta0: positive().default(TABLE_I.assumed.beta0),
    /** F_j^max of every MEC, cycles/s (default from the scenario). */
    mecCpuHz: positive().optional(),
    /** Device positions: uniform, Gaussian or Lévy (Table III). */
    positions: z.enum(['uniform', 'gaussian', 'levy']).default('uniform'),
    gaussianStdM: positive().optional(),
    levyScaleM: positive().optional(),
    /** MEC positions: fixed (given or a grid) or k-means over the devices (default from the scenario). */
    mecPlacement: z.enum(['fixed', 'kmeans']).optional(),
    mecPositions: z.array(z.tuple([z.number().finite(), z.number().finite()])).optional(),
    /** Seed of the layout (positions), kept apart from reset seeds so that channel draws vary and the layout not. */
    layoutSeed: z.number().int().min(0).default(0),
    /** Distances below this count as this (keeps h finite), m. */
    minDistanceM: positive().default(1),
    /** ρ of the Gauss-Markov fading between slots (0: independent slots). */
    fadingCorrelation: z.number().min(0).lt(1).default(0),
    /** Slots per episode. */
    horizon: z.number().int().min(1).default(100),
    slotSeconds: positive().default(1),
    /**
     * How f and p are chosen once the vote fixed the offloading decision: 'optimal' solves Eq. 13 exactly (the
     * paper), 'equal' splits each MEC's CPU equally at full power, 'policy' takes them from the agents' actions
     * (repaired into the constraints).
     */
    allocation: z.enum(['optimal', 'equal', 'policy']).default('optimal'),
    /** A device offloads only if the largest agent score reaches this (the 0.5 rule of the max vote). */
    voteThreshold: z.number().min(0).max(1).default(0.5),
    /** Reward: 1/Φ as the paper ("the reciprocal of the objective function") or −Φ. */
    reward: z.enum(['reciprocal', 'negative']).default('reciprocal'),
    /** 'policy' allocation: transmit powers are clamped to at least this, W. */
    minTxPowerW: positive().default(1e-3),
  })
  .superRefine((c, ctx) => {
    const pe = TABLE_I.kappa * c.localCpuHz ** TABLE_I.nu;
    if (pe > c.maxTxPowerW) {
      ctx.addIssue({
        code: 'custom',
        path: ['localCpuHz'],
        message: `local execution power κ·f^ν = ${pe} W exceeds maxTxPowerW = ${c.maxTxPowerW} W, so Eq. 7 cannot hold for local devices`,
      });
    }
    if (c.minTxPowerW > c.maxTxPowerW) {
      ctx.addIssue({ code: 'custom', path: ['minTxPowerW'], message: 'must not exceed maxTxPowerW' });
    }
    const mecs = c.mecs ?? MEC_SCENARIOS[c.scenario].mecs;
    if (c.mecPositions && c.mecPositions.length !== mecs) {
      ctx.addIssue({
        code: 'custom',
        path: ['mecPositions'],
        message: `${c.mecPositions.length} positions given for ${mecs} MECs`,
      });
    }
  });

export type MecEnvConfig = z.output<typeof mecEnvConfigSchema>;
export type MecEnvConfigInput = z.input<typeof mecEnvConfigSchema>;

/** Everything the system needs, resolved from a config: preset, task type and overrides merged. */
export interface MecSpec {
  readonly config: MecEnvConfig;
  readonly devices: number;
  readonly mecs: number;
  readonly phiT: number;
  readonly phiE: number;
  readonly mecCpuHz: number;
  readonly mecPlacement: 'fixed' | 'kmeans';
  readonly mecPositions?: readonly (readonly [number, number])[];
  readonly areaM: readonly [number, number];
  readonly kappa: number;
  readonly nu: number;
}

/** Validates a config (errors name the field) and resolves it against its scenario preset. */
export function resolveMecSpec(input: MecEnvConfigInput | MecEnvConfig = {}): MecSpec {
  const config = validateConfig(mecEnvConfigSchema, input, 'config for environment "mec"');
  const preset = MEC_SCENARIOS[config.scenario];
  const task = TASK_TYPES[config.taskType];
  const mecs = config.mecs ?? preset.mecs;
  const devices = config.devices ?? preset.devices;
  const mecPlacement = config.mecPlacement ?? (config.mecs !== undefined ? 'kmeans' : preset.mecPlacement);
  const presetPositions = 'mecPositions' in preset && mecs === preset.mecs ? preset.mecPositions : undefined;
  const mecPositions = config.mecPositions ?? presetPositions;
  return {
    config,
    devices,
    mecs,
    phiT: config.phiT ?? task.phiT,
    phiE: config.phiE ?? task.phiE,
    mecCpuHz: config.mecCpuHz ?? preset.mecCpuHz,
    mecPlacement,
    ...(mecPositions ? { mecPositions } : {}),
    areaM: TABLE_I.areaM,
    kappa: TABLE_I.kappa,
    nu: TABLE_I.nu,
  };
}
