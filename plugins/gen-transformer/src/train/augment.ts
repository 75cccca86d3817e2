import { type Rng, type ScenarioEvent, TwinforgeError } from '@twinforge/core';
import type { VocabularyConfig } from '../tokens/vocabulary.js';

type Point = { readonly x: number; readonly y: number };

/** The 8 symmetries of the square [0, s]² (rotations by quarter turns and mirror images). */
const D4: readonly ((p: Point, s: number) => Point)[] = [
  (p) => p,
  (p, s) => ({ x: s - p.y, y: p.x }),
  (p, s) => ({ x: s - p.x, y: s - p.y }),
  (p, s) => ({ x: p.y, y: s - p.x }),
  (p, s) => ({ x: s - p.x, y: p.y }),
  (p, s) => ({ x: p.x, y: s - p.y }),
  (p) => ({ x: p.y, y: p.x }),
  (p, s) => ({ x: s - p.y, y: s - p.x }),
];

/**
 * A random relabelling under the symmetries of the tactical mesh's randomised scenario generator, for training
 * data augmentation: node ids are exchangeable (failed and degraded nodes are drawn uniformly; the gateway, id N,
 * stays), channels are exchangeable (drawn uniformly), and positions are uniform over a square area, so any of its 8
 * rotations/mirrors gives an equally likely timeline. Times, kinds, jammer ids and magnitudes are unchanged. Why:
 * ~1000 timelines overfit a 140k-parameter transformer within a few hundred steps; relabelling multiplies the
 * distinct training sequences by up to N!·C!·8 without inventing structure the data does not have.
 */
export function meshSymmetries(
  config: VocabularyConfig,
): (events: readonly ScenarioEvent[], rng: Rng) => ScenarioEvent[] {
  if (config.width_m !== config.height_m) {
    throw new TwinforgeError('INVALID_ARGUMENT', 'mesh-symmetries augmentation needs a square area');
  }
  const side = config.width_m;
  return (events, rng) => {
    const nodes = Array.from(rng.permutation(config.nodes));
    const channels = Array.from(rng.permutation(config.channels));
    const map = D4[rng.int(0, 7)] as (p: Point, s: number) => Point;
    const node = (n: number) => (n < config.nodes ? (nodes[n] as number) : n);
    return events.map((e): ScenarioEvent => {
      switch (e.kind) {
        case 'node-fail':
        case 'node-recover':
          return { ...e, node: node(e.node) };
        case 'jammer-on':
          return { ...e, position: map(e.position, side), channel: channels[e.channel] ?? e.channel };
        case 'traffic-surge':
          return e.region ? { ...e, region: { ...e.region, center: map(e.region.center, side) } } : e;
        case 'link-degrade':
          return { ...e, from: node(e.from), to: node(e.to) };
        default:
          return e;
      }
    });
  };
}
