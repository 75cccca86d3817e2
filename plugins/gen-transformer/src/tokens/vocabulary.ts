import { SCENARIO_EVENT_KINDS, type ScenarioEventKind, TwinforgeError } from '@twinforge/core';
import { z } from 'zod';
import { quantizerSchema } from './quantizer.js';

/** A conditioning variable of the prefix: an integer 0..levels−1 from a dataset column, or "unknown". */
export const prefixConditionSchema = z.strictObject({
  name: z.string().min(1),
  column: z.string().min(1),
  levels: z.number().int().min(1).max(64),
});
export type PrefixCondition = z.output<typeof prefixConditionSchema>;

/** Everything that defines the token vocabulary: the mesh, the time grid and the parameter bins. */
export const vocabularyConfigSchema = z.strictObject({
  nodes: z.number().int().min(1),
  maxJammers: z.number().int().min(1).max(32),
  channels: z.number().int().min(1).max(16),
  horizon_s: z.number().positive(),
  width_m: z.number().positive(),
  height_m: z.number().positive(),
  timeBins: z.number().int().min(1).max(1000),
  /**
   * What a time token says: `absolute`, the event's bin of horizon/timeBins seconds; `delta`, how many bins after
   * the previous event's (the first: after 0). Delta tokens make times non-decreasing by construction (the horizon
   * becomes a mask on the step) and give a gap the same token wherever it falls, so the model learns one gap
   * distribution instead of one per absolute bin; the decoder's state then tells the network the clock.
   */
  timeEncoding: z.enum(['absolute', 'delta']).default('absolute'),
  xyBins: z.number().int().min(1).max(64),
  conditions: z.array(prefixConditionSchema),
  jammerRadius: quantizerSchema,
  jammerPower: quantizerSchema,
  surgeRadius: quantizerSchema,
  surgeFactor: quantizerSchema,
  surgeDuration: quantizerSchema,
  degradeLoss: quantizerSchema,
  degradeDuration: quantizerSchema,
  /** Events per timeline at most (the decoder ends a timeline there). */
  maxEvents: z.number().int().min(1).max(256),
});
export type VocabularyConfig = z.output<typeof vocabularyConfigSchema>;

/** Token groups, in vocabulary order. `cond:<name>` groups hold levels + 1 tokens (the last is "unknown"). */
export type SlotGroup =
  | 'kind'
  | 'time'
  | 'node'
  | 'jammer'
  | 'x'
  | 'y'
  | 'jammerRadius'
  | 'jammerPower'
  | 'channel'
  | 'region'
  | 'surgeRadius'
  | 'surgeFactor'
  | 'surgeDuration'
  | 'degradeLoss'
  | 'degradeDuration';

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
const SPECIALS = 3;

/**
 * The token vocabulary of event timelines: PAD, BOS, EOS; one group per prefix condition; the six event kinds
 * (core's SCENARIO_EVENT_KINDS order); absolute time bins; node ids 0..N (N = the gateway, a link's far end); jammer
 * ids; x and y bins of the area; and one bin group per continuous parameter. An event is a kind token followed by
 * its slots (see grammar.ts), so every token's meaning is fixed by its id alone.
 */
export class Vocabulary {
  readonly size: number;
  readonly #offsets = new Map<string, number>();
  readonly #sizes = new Map<string, number>();
  readonly #groupOf: string[] = [];

  constructor(readonly config: VocabularyConfig) {
    let off = SPECIALS;
    this.#groupOf.push('special', 'special', 'special');
    const add = (name: string, n: number) => {
      this.#offsets.set(name, off);
      this.#sizes.set(name, n);
      for (let i = 0; i < n; i++) this.#groupOf.push(name);
      off += n;
    };
    for (const c of config.conditions) add(`cond:${c.name}`, c.levels + 1);
    add('kind', SCENARIO_EVENT_KINDS.length);
    add('time', config.timeBins);
    add('node', config.nodes + 1);
    add('jammer', config.maxJammers);
    add('x', config.xyBins);
    add('y', config.xyBins);
    add('jammerRadius', config.jammerRadius.bins);
    add('jammerPower', config.jammerPower.bins);
    add('channel', config.channels);
    add('region', 2);
    add('surgeRadius', config.surgeRadius.bins);
    add('surgeFactor', config.surgeFactor.bins);
    add('surgeDuration', config.surgeDuration.bins);
    add('degradeLoss', config.degradeLoss.bins);
    add('degradeDuration', config.degradeDuration.bins);
    this.size = off;
  }

  /** Id of value `v` of a group; throws on an out-of-range value. */
  token(group: string, v: number): number {
    const off = this.#offsets.get(group);
    const n = this.#sizes.get(group);
    if (off === undefined || n === undefined || !Number.isInteger(v) || v < 0 || v >= n) {
      throw new TwinforgeError('INVALID_ARGUMENT', `no token ${v} in group ${group}`);
    }
    return off + v;
  }

  /** First id and count of a group. */
  range(group: string): { offset: number; size: number } {
    const offset = this.#offsets.get(group);
    const size = this.#sizes.get(group);
    if (offset === undefined || size === undefined) throw new TwinforgeError('INVALID_ARGUMENT', `no group ${group}`);
    return { offset, size };
  }

  /** Group name and value of a token id. */
  decode(token: number): { group: string; value: number } {
    const group = this.#groupOf[token];
    if (group === undefined) throw new TwinforgeError('INVALID_ARGUMENT', `token ${token} is outside the vocabulary`);
    return { group, value: group === 'special' ? token : token - (this.#offsets.get(group) as number) };
  }

  kindToken(kind: ScenarioEventKind): number {
    return this.token('kind', SCENARIO_EVENT_KINDS.indexOf(kind));
  }

  /** The prefix: BOS then one token per condition (value, or the group's last token for null = unknown). */
  prefix(values: readonly (number | null)[]): number[] {
    const conds = this.config.conditions;
    if (values.length !== conds.length) {
      throw new TwinforgeError('INVALID_ARGUMENT', `${values.length} condition values for ${conds.length} conditions`);
    }
    return [BOS, ...conds.map((c, i) => this.token(`cond:${c.name}`, values[i] ?? c.levels))];
  }

  get prefixLength(): number {
    return 1 + this.config.conditions.length;
  }

  /** Longest token sequence: prefix, maxEvents events of at most 8 tokens, EOS. */
  get maxLength(): number {
    return this.prefixLength + 8 * this.config.maxEvents + 1;
  }
}
