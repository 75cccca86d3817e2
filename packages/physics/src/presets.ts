import { dbmToWatts } from './units.js';

/** Where a preset value comes from. `assumed` marks values the paper does not give (our documented choice). */
export interface Citation {
  readonly seed: string;
  readonly paper: string;
  readonly where: string;
}

/** DIRS MEC system, seed 004 Table I plus the scenario sizes of §V. SI units. */
export interface DirsPreset {
  readonly citation: Citation;
  readonly dataBits: number;
  readonly cycles: number;
  readonly bandwidthHz: number;
  readonly localCpuHz: number;
  readonly maxTxPowerW: number;
  readonly noisePowerW: number;
  readonly kappa: number;
  readonly nu: number;
  readonly areaM: readonly [number, number];
  readonly scenarios: readonly { readonly mecs: number; readonly devices: number }[];
  /** Not in the paper: β0 = -30 dB at 1 m, F_j^max = 10 GHz per MEC. */
  readonly assumed: { readonly beta0: number; readonly mecCpuHz: number };
}

export const DIRS_TABLE_I: DirsPreset = Object.freeze({
  citation: {
    seed: '004',
    paper:
      'DIRS: distributed resource scheduling for large-scale MEC with multi-agent ensemble DRL and imitation acceleration',
    where: 'Table I; Eqs. 1-13; §V scenarios (2/30, 8/180, 10/200 in 50 m x 50 m); κ = 1e-27, ν = 3 after Eq. 7',
  },
  dataBits: 100e3 * 8, // 100 kB
  cycles: 1e9,
  bandwidthHz: 1e6,
  localCpuHz: 1e9,
  maxTxPowerW: 1.5,
  noisePowerW: 1e-12,
  kappa: 1e-27,
  nu: 3,
  areaM: [50, 50] as const,
  scenarios: [
    { mecs: 2, devices: 30 },
    { mecs: 8, devices: 180 },
    { mecs: 10, devices: 200 },
  ],
  assumed: { beta0: 1e-3, mecCpuHz: 10e9 },
});

/** DT-RL UAV case, seed 001 §IV-B. */
export interface UavCasePreset {
  readonly citation: Citation;
  readonly uavs: number;
  readonly users: number;
  readonly txPowerW: number;
  readonly noiseDensityDbmPerHz: number;
  readonly heightM: number;
  readonly speedMps: number;
}

export const DT_RL_UAV_CASE: UavCasePreset = Object.freeze({
  citation: {
    seed: '001',
    paper: 'DT-enhanced RL for network resource management (Cheng et al.)',
    where:
      'Case B: 4 UAVs serve 10 users (the text also states N = 100), OFDM, Friis; p = 100 mW, -174 dBm/Hz, 5 m, 8 m/s',
  },
  uavs: 4,
  users: 10,
  txPowerW: dbmToWatts(20),
  noiseDensityDbmPerHz: -174,
  heightM: 5,
  speedMps: 8,
});

/** SliceOff communication/computation model, seed 002 §3.1 (Eqs. 1-5). Numeric settings are not in our excerpt. */
export interface SliceOffModelPreset {
  readonly citation: Citation;
  readonly equations: {
    readonly uplinkRate: string;
    readonly uploadTime: string;
    readonly queueTime: string;
    readonly execTime: string;
    readonly total: string;
  };
}

export const SLICEOFF_MODEL: SliceOffModelPreset = Object.freeze({
  citation: {
    seed: '002',
    paper: 'SliceOff: joint slicing, offloading and resource allocation in multi-edge networks',
    where: '§3.1, Eqs. 1-5; g = β0·l^-θ',
  },
  equations: {
    uplinkRate: 'r = b·log2(1 + p·g/σ²)  → shannonRate, powerLawGain',
    uploadTime: 'T^up = d/r  → transmissionTime',
    queueTime: 'T^que = Σ_{k∈Q_m} d_k·η_k / f_VM  → vmQueueingTime',
    execTime: 'T^exe = d·η / f_VM  → vmExecutionTime',
    total: 'T = T^up + T^que + T^exe  → sliceOffCompletionTime',
  },
});

/** Tactical mesh of EdgeAgentX-DT, seed 003 §V and the case study. */
export interface TacticalMeshPreset {
  readonly citation: Citation;
  readonly nodes: number;
  readonly areaM: readonly [number, number];
  readonly episodes: number;
  readonly stepsPerEpisode: number;
  readonly seeds: number;
  readonly jammer: { readonly onAtS: number; readonly radiusM: number; readonly packetLoss: number };
  readonly relayFailureAtS: number;
  readonly trafficSurge: { readonly fromS: number; readonly toS: number; readonly factor: number };
}

export const EDGEAGENTX_DT_MESH: TacticalMeshPreset = Object.freeze({
  citation: {
    seed: '003',
    paper: 'EdgeAgentX-DT: digital twins + generative AI for tactical edge networks',
    where:
      '§V setup (N = 20 nodes, 5 km x 5 km, 1000 episodes x 100 steps, 5 seeds); case study (jammer t = 50 s, 1 km, ~80 % loss; relay failure t = 60 s; traffic x2 from 55 to 85 s)',
  },
  nodes: 20,
  areaM: [5000, 5000] as const,
  episodes: 1000,
  stepsPerEpisode: 100,
  seeds: 5,
  jammer: { onAtS: 50, radiusM: 1000, packetLoss: 0.8 },
  relayFailureAtS: 60,
  trafficSurge: { fromS: 55, toS: 85, factor: 2 },
});
