import { forbiddenBandConstraint, type MapConstraint, rangeConstraint } from '@twinforge/fidelity';
import { JAMMING_FLOOR_DBM, pathGain, radioModel, tacticalMeshConfigSchema } from '@twinforge/plugin-env-tactical-mesh';

const dbm = (w: number) => 10 * Math.log10(w) + 30;

export interface JammingPhysics {
  readonly floor_dBm: number;
  /** Weakest jamming a cell inside any jammer's radius receives: the weakest jammer at the largest radius. */
  readonly weakest_dBm: number;
  /** Strongest: every jammer at full power 1 m from the cell centre. */
  readonly strongest_dBm: number;
  /** Thermal noise of one channel: jamming 30 dB below it changes no SINR by more than 0.1 %. */
  readonly noise_dBm: number;
  /** Range and the operational gap (noise − 30 dB, weakest − tol): what the targets use. */
  readonly constraints: MapConstraint[];
  /** The strict gap (floor + tol, weakest − tol): any jamming a hard-radius field cannot produce. */
  readonly strict: MapConstraint[];
  /** Hot-spot threshold for condition accuracy: midway between the floor and the weakest jamming. */
  readonly hotspotThreshold_dBm: number;
  /** Smallest jammer radius: two peaks closer than this are one jammer's footprint (the hot-spot window). */
  readonly minRadius_m: number;
}

/**
 * Hot-spot window in cells for a grid cell size: a hot spot must dominate the cells within one smallest jammer
 * radius (at least its 8 neighbours). On the real maps this recovers the active jammer count of 97.6 % (16×16,
 * window 2) and 98.8 % (32×32, window 3) of the snapshots.
 */
export function hotspotWindow(physics: JammingPhysics, cell_m: number): number {
  return Math.max(1, Math.round(physics.minRadius_m / cell_m));
}

/**
 * Physical constraints of a jamming field from the tactical mesh's radio model and the scenario generator's ranges
 * (seed 003 jammers have a hard radius, so a cell is either out of reach, at the −150 dBm floor, or receives at least
 * P_min·g(r_max) ≈ −103 dBm). Two readings of "impossible":
 * - strict: anything in (floor + tol, weakest − tol);
 * - operational (the one the targets use): anything in (noise − 30 dB, weakest − tol), i.e. jamming strong enough to
 *   matter (within 30 dB of the −100 dBm thermal noise) yet weaker than any jammer delivers inside its radius. Below
 *   noise − 30 dB a cell is, for every link budget in the mesh, the same as no jamming.
 * Both come with the range [floor − tol, strongest + tol]; `tol_dB` = 3 dB. The reproduction prints both rates.
 */
export function jammingPhysics(generatorConfig: Record<string, unknown>, tol_dB = 3): JammingPhysics {
  const radio = radioModel(tacticalMeshConfigSchema.parse({}));
  const power = (generatorConfig.jammerPower_W as [number, number] | undefined) ?? [0.05, 5];
  const radius = (generatorConfig.jammerRadius_m as [number, number] | undefined) ?? [500, 1500];
  const count = (generatorConfig.maxJammers as number | undefined) ?? 3;
  const weakest = dbm(power[0] * pathGain(radio, radius[1]));
  const strongest = dbm(count * power[1] * pathGain(radio, 1));
  const floor = JAMMING_FLOOR_DBM;
  const noise = dbm(radio.noiseW);
  const range = rangeConstraint('range', floor - tol_dB, strongest + tol_dB);
  return {
    floor_dBm: floor,
    weakest_dBm: weakest,
    strongest_dBm: strongest,
    noise_dBm: noise,
    constraints: [range, forbiddenBandConstraint('operational gap', noise - 30, weakest - tol_dB)],
    strict: [range, forbiddenBandConstraint('strict gap', floor + tol_dB, weakest - tol_dB)],
    hotspotThreshold_dBm: (floor + weakest) / 2,
    minRadius_m: radius[0],
  };
}
