import type { ScenarioEvent } from '@twinforge/core';
import { fitQuantizer } from './quantizer.js';
import type { PrefixCondition, VocabularyConfig } from './vocabulary.js';

export interface VocabularyOptions {
  readonly nodes: number;
  readonly maxJammers: number;
  readonly channels: number;
  readonly horizon_s: number;
  readonly width_m: number;
  readonly height_m: number;
  readonly conditions: readonly PrefixCondition[];
  /** Default 100 (1 s bins over a 100 s episode). */
  readonly timeBins?: number;
  /** Default 'absolute' (see VocabularyConfig.timeEncoding). */
  readonly timeEncoding?: 'absolute' | 'delta';
  /** Default 10 (500 m on a 5 km area). */
  readonly xyBins?: number;
  /** Bins of each continuous parameter, default 8. */
  readonly valueBins?: number;
  /** Default: the longest training timeline, at least 1. */
  readonly maxEvents?: number;
}

/**
 * Vocabulary whose parameter bins span the values seen in the training timelines (jammer radius, power in log
 * space, surge radius/factor/duration, degradation loss/duration).
 */
export function fitVocabulary(
  timelines: readonly (readonly ScenarioEvent[])[],
  o: VocabularyOptions,
): VocabularyConfig {
  const pick = <K extends ScenarioEvent['kind']>(
    kind: K,
    f: (e: Extract<ScenarioEvent, { kind: K }>) => number | undefined,
  ) =>
    timelines.flatMap((tl) =>
      tl
        .filter((e) => e.kind === kind)
        .flatMap((e) => {
          const v = f(e as Extract<ScenarioEvent, { kind: K }>);
          return v === undefined ? [] : [v];
        }),
    );
  const bins = o.valueBins ?? 8;
  return {
    nodes: o.nodes,
    maxJammers: o.maxJammers,
    channels: o.channels,
    horizon_s: o.horizon_s,
    width_m: o.width_m,
    height_m: o.height_m,
    timeBins: o.timeBins ?? 100,
    timeEncoding: o.timeEncoding ?? 'absolute',
    xyBins: o.xyBins ?? 10,
    conditions: [...o.conditions],
    jammerRadius: fitQuantizer(
      pick('jammer-on', (e) => e.radius_m),
      bins,
    ),
    jammerPower: fitQuantizer(
      pick('jammer-on', (e) => e.power_W),
      bins,
      true,
    ),
    surgeRadius: fitQuantizer(
      pick('traffic-surge', (e) => e.region?.radius_m),
      bins,
    ),
    surgeFactor: fitQuantizer(
      pick('traffic-surge', (e) => e.factor),
      bins,
    ),
    surgeDuration: fitQuantizer(
      pick('traffic-surge', (e) => e.duration_s),
      bins,
    ),
    degradeLoss: fitQuantizer(
      pick('link-degrade', (e) => e.loss_dB),
      bins,
    ),
    degradeDuration: fitQuantizer(
      pick('link-degrade', (e) => e.duration_s),
      bins,
    ),
    maxEvents: o.maxEvents ?? Math.max(1, ...timelines.map((t) => t.length)),
  };
}
