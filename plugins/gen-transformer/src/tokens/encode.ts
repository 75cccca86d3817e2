import { type ScenarioEvent, TwinforgeError } from '@twinforge/core';
import { toBin } from './quantizer.js';
import { EOS, type Vocabulary } from './vocabulary.js';

const clampBin = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));

/**
 * Token ids of one timeline under its condition values: BOS, the condition tokens, per event its kind and slots
 * (see grammar.ts EVENT_SLOTS), then EOS. Times go to bins of horizon/timeBins seconds (the bin itself, or with
 * timeEncoding 'delta' its distance from the previous event's bin); positions to xy bins;
 * parameters to their quantizers' bins. Timelines longer than maxEvents are cut there (the decoder cannot produce
 * more). A link degradation without a duration (permanent) takes the longest duration bin.
 */
export function encodeTimeline(
  vocab: Vocabulary,
  events: readonly ScenarioEvent[],
  condition: readonly (number | null)[],
): number[] {
  const c = vocab.config;
  const out = vocab.prefix(condition);
  const tb = (t: number) => clampBin((t / c.horizon_s) * c.timeBins, c.timeBins);
  const xb = (x: number) => clampBin((x / c.width_m) * c.xyBins, c.xyBins);
  const yb = (y: number) => clampBin((y / c.height_m) * c.xyBins, c.xyBins);
  let prev = 0;
  for (const e of events.slice(0, c.maxEvents)) {
    const bin = tb(e.t);
    if (c.timeEncoding === 'delta' && bin < prev) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `event times decrease (${e.kind} at ${e.t} s): delta times need sorted events`,
      );
    }
    out.push(vocab.kindToken(e.kind), vocab.token('time', c.timeEncoding === 'delta' ? bin - prev : bin));
    prev = bin;
    switch (e.kind) {
      case 'node-fail':
      case 'node-recover':
        out.push(vocab.token('node', e.node));
        break;
      case 'jammer-on':
        if (e.jammer >= c.maxJammers) {
          throw new TwinforgeError('INVALID_ARGUMENT', `jammer id ${e.jammer} exceeds maxJammers ${c.maxJammers}`);
        }
        out.push(
          vocab.token('jammer', e.jammer),
          vocab.token('x', xb(e.position.x)),
          vocab.token('y', yb(e.position.y)),
          vocab.token('jammerRadius', toBin(c.jammerRadius, e.radius_m)),
          vocab.token('jammerPower', toBin(c.jammerPower, e.power_W)),
          vocab.token('channel', e.channel),
        );
        break;
      case 'jammer-off':
        out.push(vocab.token('jammer', e.jammer));
        break;
      case 'traffic-surge':
        if (e.region) {
          out.push(
            vocab.token('region', 1),
            vocab.token('x', xb(e.region.center.x)),
            vocab.token('y', yb(e.region.center.y)),
            vocab.token('surgeRadius', toBin(c.surgeRadius, e.region.radius_m)),
          );
        } else out.push(vocab.token('region', 0));
        out.push(
          vocab.token('surgeFactor', toBin(c.surgeFactor, e.factor)),
          vocab.token('surgeDuration', toBin(c.surgeDuration, e.duration_s)),
        );
        break;
      case 'link-degrade':
        out.push(
          vocab.token('node', e.from),
          vocab.token('node', e.to),
          vocab.token('degradeLoss', toBin(c.degradeLoss, e.loss_dB)),
          vocab.token(
            'degradeDuration',
            e.duration_s === undefined ? c.degradeDuration.bins - 1 : toBin(c.degradeDuration, e.duration_s),
          ),
        );
        break;
    }
  }
  out.push(EOS);
  return out;
}
