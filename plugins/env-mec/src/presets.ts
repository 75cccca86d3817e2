import { DIRS_TABLE_I } from '@twinforge/physics';

/** The three scenarios of seed 004 §V, all in a 50 m × 50 m area. */
export interface MecScenarioPreset {
  readonly mecs: number;
  readonly devices: number;
  /** F_j^max of every MEC, cycles/s. */
  readonly mecCpuHz: number;
  /** 'fixed' uses `mecPositions`; 'kmeans' clusters the device positions (the paper: "at the first time"). */
  readonly mecPlacement: 'fixed' | 'kmeans';
  readonly mecPositions?: readonly (readonly [number, number])[];
  /** Layer widths of the paper's 4-layer agent DNN for this scenario (input = N gains, output = N decisions). */
  readonly agentLayers: readonly [number, number, number, number];
  /** Environment samples the paper collects (T_DRL). */
  readonly paperSteps: number;
  readonly where: string;
}

export const MEC_SCENARIOS = Object.freeze({
  '2x30': {
    mecs: 2,
    devices: 30,
    mecCpuHz: 15e9,
    mecPlacement: 'fixed',
    mecPositions: [
      [10, 10],
      [40, 40],
    ],
    agentLayers: [30, 80, 60, 30],
    paperSteps: 3000,
    where: '§V-B: 2 MECs at (10, 10) and (40, 40), 30 IoTDs, F^MEC = 15e9 cycles/s, DNN 30-80-60-30, T_DRL = 3000',
  },
  '8x180': {
    mecs: 8,
    devices: 180,
    mecCpuHz: 10e9,
    mecPlacement: 'kmeans',
    agentLayers: [180, 260, 200, 180],
    paperSteps: 4000,
    where: '§V-C: 8 MECs placed by k-means, 180 IoTDs, F^MEC = 10e9 cycles/s, DNN 180-260-200-180, T_DRL = 4000',
  },
  '10x200': {
    mecs: 10,
    devices: 200,
    mecCpuHz: 10e9,
    mecPlacement: 'kmeans',
    agentLayers: [200, 300, 250, 200],
    paperSteps: 5000,
    where: '§V-D: 10 MECs placed by k-means, 200 IoTDs, F^MEC = 10e9 cycles/s, DNN 200-300-250-200, T_DRL = 5000',
  },
} as const satisfies Record<string, MecScenarioPreset>);

export type MecScenarioName = keyof typeof MEC_SCENARIOS;
export const MEC_SCENARIO_NAMES = Object.keys(MEC_SCENARIOS) as MecScenarioName[];

/** The task types of §V-C (weights φT, φE of Eq. 10). */
export const TASK_TYPES = Object.freeze({
  'time-sensitive': { phiT: 1.5, phiE: 0.5 },
  normal: { phiT: 1, phiE: 1 },
  'energy-sensitive': { phiT: 0.5, phiE: 1.5 },
} as const);

export type TaskType = keyof typeof TASK_TYPES;
export const TASK_TYPE_NAMES = Object.keys(TASK_TYPES) as TaskType[];

/** Table I values (SI units) and the two values the paper does not give (β0, see @twinforge/physics). */
export const TABLE_I = DIRS_TABLE_I;
