import { createRng, isTwinforgeError, type TwinforgeErrorCode } from '@twinforge/core';
import { describe, expect, it } from 'vitest';
import {
  allocateProportionalInto,
  cpuPower,
  DirsObjective,
  dbToLinear,
  dirsChannelGain,
  dirsDeviceCost,
  dirsObjective,
  distance2d,
  executionTime,
  freeSpacePathLossDb,
  friisReceivedPower,
  jammingPower,
  linearToDb,
  logDistancePathLossDb,
  md1,
  mm1,
  ofdmUserRatesInto,
  powerLawGain,
  RandomWaypoint,
  ricianPowerGain,
  sampleDirsInstance,
  shannonRate,
  shannonRateInto,
  simulateFifoQueue,
  sinr,
  snr,
  thermalNoiseDbm,
  transmissionTime,
  uavStepToward,
  VmFifo,
  vmExecutionTime,
  wattsToDbm,
} from '../src/index.js';

function code(fn: () => unknown): TwinforgeErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return isTwinforgeError(e) ? e.code : 'other error';
  }
}

const INVALID: Record<string, () => unknown> = {
  'negative bandwidth (Shannon)': () => shannonRate(-1, 1),
  'NaN SNR': () => shannonRate(1e6, Number.NaN),
  'negative bandwidth (noise)': () => thermalNoiseDbm(-1),
  'NaN dB': () => dbToLinear(Number.NaN),
  'zero ratio to dB': () => linearToDb(0),
  'negative watts to dBm': () => wattsToDbm(-1),
  'zero distance (Friis)': () => friisReceivedPower(1, 2.4e9, 0),
  'zero frequency (FSPL)': () => freeSpacePathLossDb(0, 10),
  'zero distance (log-distance)': () => logDistancePathLossDb(0, 2),
  'zero distance (DIRS gain)': () => dirsChannelGain(1e-3, 1, 0, 0),
  'negative exponent (power law)': () => powerLawGain(1e-3, 10, -2),
  'zero noise (SNR)': () => snr(1, 1, 0),
  'negative interferer (SINR)': () => sinr(1, 1, [-1]),
  'infinite power (SNR)': () => snr(Number.POSITIVE_INFINITY, 1, 1),
  'short input array (vectorised rate)': () => shannonRateInto(new Float64Array(3), 1e6, [1], [1, 1, 1], 1),
  'negative Rician K': () => ricianPowerGain(createRng(1), -1),
  'zero CPU (execution time)': () => executionTime(1e9, 0),
  'nu < 1 (CPU power)': () => cpuPower(1e-27, 1e9, 0.5),
  'zero rate (transmission)': () => transmissionTime(1e6, 0),
  'zero VM CPU': () => vmExecutionTime({ dataBits: 1, cyclesPerBit: 1 }, 0),
  'negative weight (allocation)': () => allocateProportionalInto(new Float64Array(2), 1, [1, -1]),
  'negative total (allocation)': () => allocateProportionalInto(new Float64Array(1), -1, [1]),
  'NaN coordinate': () => distance2d(Number.NaN, 0, 0, 0),
  'negative speed (UAV)': () => uavStepToward({ x: 0, y: 0, z: 0 }, { x: 1, y: 1 }, -1, 1),
  'max < min speed (waypoint)': () => new RandomWaypoint(createRng(1), 10, 10, 5, 1),
  'zero jammer distance': () => jammingPower({ powerW: 1, position: { x: 0, y: 0 } }, { x: 0, y: 0 }, () => 1),
  'negative arrival rate (M/M/1)': () => mm1(-1, 2),
  'zero horizon (simulation)': () =>
    simulateFifoQueue({ arrivalRate: 1, serviceRate: 2, horizon: 0, rng: createRng(1) }),
  'loss probability > 1': () =>
    simulateFifoQueue({ arrivalRate: 1, serviceRate: 2, horizon: 1, lossProbability: 2, rng: createRng(1) }),
  'decision out of range (DIRS)': () =>
    new DirsObjective(sampleDirsInstance({ devices: 2, mecs: 1, rng: createRng(1) })).evaluate([0, 2]),
  'non-integer decision (DIRS)': () =>
    new DirsObjective(sampleDirsInstance({ devices: 1, mecs: 2, rng: createRng(1) })).evaluate([0.5]),
  'negative decision (dirsObjective)': () => {
    const inst = sampleDirsInstance({ devices: 1, mecs: 1, rng: createRng(1) });
    return dirsObjective(inst, [-1], [1e9]);
  },
  'fractional OFDM owner': () => ofdmUserRatesInto(new Float64Array(2), 15e3, [0.5], [1]),
  'OFDM owner beyond users': () => ofdmUserRatesInto(new Float64Array(2), 15e3, [2], [1]),
  'zero edge CPU (scalar DIRS cost)': () =>
    dirsDeviceCost({
      dataBits: 1,
      cycles: 1,
      localCpuHz: 1,
      txPowerW: 1,
      gain: 1,
      edgeCpuHz: 0,
      offload: true,
      bandwidthHz: 1,
      noisePowerW: 1,
      kappa: 0,
      nu: 3,
      phiT: 1,
      phiE: 1,
    }),
  'VM arrivals out of order': () => {
    const vm = new VmFifo(1e9);
    vm.enqueue({ dataBits: 1, cyclesPerBit: 1 }, 2);
    return vm.enqueue({ dataBits: 1, cyclesPerBit: 1 }, 1);
  },
  'zero MECs (DIRS)': () => sampleDirsInstance({ devices: 2, mecs: 0, rng: createRng(1) }),
};

describe('rejections', () => {
  for (const [name, fn] of Object.entries(INVALID)) {
    it(`rejects ${name} with PHYSICS_INVALID_INPUT`, () => {
      expect(code(fn)).toBe('PHYSICS_INVALID_INPUT');
    });
  }
  it('rejects ρ >= 1 with PHYSICS_UNSTABLE for M/M/1 and M/D/1', () => {
    expect(code(() => mm1(2, 2))).toBe('PHYSICS_UNSTABLE');
    expect(code(() => mm1(3, 2))).toBe('PHYSICS_UNSTABLE');
    expect(code(() => md1(2, 2))).toBe('PHYSICS_UNSTABLE');
    expect(code(() => mm1(1.999, 2))).toBe('no error');
  });
});
