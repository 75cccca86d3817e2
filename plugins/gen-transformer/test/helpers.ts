import { silentLogger } from '@twinforge/core';
import { initTensorBackend } from '@twinforge/tensor';
import type { VocabularyConfig } from '../src/index.js';

export async function backend(): Promise<void> {
  await initTensorBackend({ logger: silentLogger });
}

/** The tactical mesh's rules, as the fidelity suite checks them. */
export const RULES = { nodes: 20, maxJammers: 3, channels: 3, horizon_s: 100, width_m: 5000, height_m: 5000 };

const q = (lo: number, hi: number, log = false) => ({ lo, hi, bins: 4, log });

/** A small vocabulary for the mesh (20 nodes, 3 jammers, 3 channels, 20 time bins, 6 events at most). */
export function smallVocabulary(
  maxEvents = 6,
  timeEncoding: VocabularyConfig['timeEncoding'] = 'absolute',
): VocabularyConfig {
  return {
    ...RULES,
    timeBins: 20,
    timeEncoding,
    xyBins: 4,
    conditions: [
      { name: 'jammers', column: 'jammers', levels: 4 },
      { name: 'loadLevel', column: 'load_level', levels: 5 },
    ],
    jammerRadius: q(500, 1500),
    jammerPower: q(0.05, 5, true),
    surgeRadius: q(500, 2000),
    surgeFactor: q(1.5, 5),
    surgeDuration: q(10, 40),
    degradeLoss: q(5, 20),
    degradeDuration: q(10, 60),
    maxEvents,
  };
}
