import { createRng, type Rng } from '@twinforge/core';
import { type MecEnvConfig, type MecEnvConfigInput, type MecSpec, resolveMecSpec } from './config.js';
import { MecCostModel, type MecInstance } from './cost-model.js';
import { RayleighFading } from './fading.js';
import { buildLayout, type MecLayout } from './layout.js';

/**
 * The MEC system of seed 004 §III for one layout: devices and MECs placed once (from `layoutSeed`), task and radio
 * parameters fixed, channel gains h_ij = (β0/d_ij²)·l_ij varying per slot through the small-scale fading l_ij.
 * It turns a fading draw into a slot instance and its cost model; the environment, the baselines, the searches and
 * the reproduction scripts all draw their slots here, so they agree on the system bit for bit.
 */
export class MecSystem {
  readonly spec: MecSpec;
  readonly config: MecEnvConfig;
  readonly layout: MecLayout;
  readonly devices: number;
  readonly mecs: number;
  readonly #dataBits: Float64Array;
  readonly #cycles: Float64Array;
  readonly #localCpuHz: Float64Array;
  readonly #maxTxPowerW: Float64Array;
  readonly #mecCpuHz: Float64Array;

  constructor(config: MecEnvConfigInput | MecEnvConfig = {}) {
    const spec = resolveMecSpec(config);
    this.spec = spec;
    this.config = spec.config;
    const c = spec.config;
    this.devices = spec.devices;
    this.mecs = spec.mecs;
    this.layout = buildLayout(
      {
        devices: spec.devices,
        mecs: spec.mecs,
        areaM: spec.areaM,
        distribution: c.positions,
        ...(c.gaussianStdM === undefined ? {} : { gaussianStdM: c.gaussianStdM }),
        ...(c.levyScaleM === undefined ? {} : { levyScaleM: c.levyScaleM }),
        mecPlacement: spec.mecPlacement,
        ...(spec.mecPositions ? { mecPositions: spec.mecPositions } : {}),
        beta0: c.beta0,
        minDistanceM: c.minDistanceM,
      },
      createRng(c.layoutSeed).split('mec-layout'),
    );
    const n = spec.devices;
    this.#dataBits = new Float64Array(n).fill(c.dataBits);
    this.#cycles = new Float64Array(n).fill(c.cycles);
    this.#localCpuHz = new Float64Array(n).fill(c.localCpuHz);
    this.#maxTxPowerW = new Float64Array(n).fill(c.maxTxPowerW);
    this.#mecCpuHz = new Float64Array(spec.mecs).fill(spec.mecCpuHz);
  }

  /** The slot instance for fading powers l (N×M); gains are a fresh array, the static arrays are shared. */
  instance(fading: Float64Array, mecUp?: Uint8Array): MecInstance {
    const pg = this.layout.pathGain;
    const gain = new Float64Array(pg.length);
    for (let k = 0; k < pg.length; k++) gain[k] = (pg[k] as number) * (fading[k] as number);
    const c = this.config;
    return {
      devices: this.devices,
      mecs: this.mecs,
      dataBits: this.#dataBits,
      cycles: this.#cycles,
      localCpuHz: this.#localCpuHz,
      maxTxPowerW: this.#maxTxPowerW,
      gain,
      mecCpuHz: this.#mecCpuHz,
      ...(mecUp ? { mecUp } : {}),
      bandwidthHz: c.bandwidthHz,
      noisePowerW: c.noisePowerW,
      kappa: this.spec.kappa,
      nu: this.spec.nu,
      phiT: this.spec.phiT,
      phiE: this.spec.phiE,
    };
  }

  /** An independent (stationary) channel draw and its cost model: a held-out evaluation slot or a demonstration. */
  sample(rng: Rng): MecCostModel {
    const fading = new RayleighFading(this.devices * this.mecs).reset(rng);
    return new MecCostModel(this.instance(fading));
  }
}
