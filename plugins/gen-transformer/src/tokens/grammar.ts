import {
  createRng,
  type Rng,
  SCENARIO_EVENT_KINDS,
  type ScenarioEvent,
  type ScenarioEventKind,
  TwinforgeError,
} from '@twinforge/core';
import { fromBin } from './quantizer.js';
import { EOS, PAD, type SlotGroup, type Vocabulary } from './vocabulary.js';

/** What a slot means beyond its token group (which constraint applies to it). */
export type SlotRole =
  | 'time'
  | 'fail-node'
  | 'recover-node'
  | 'on-jammer'
  | 'off-jammer'
  | 'from'
  | 'to'
  | 'region'
  | 'value';

export interface Slot {
  readonly group: SlotGroup;
  readonly role: SlotRole;
}

const s = (group: SlotGroup, role: SlotRole = 'value'): Slot => ({ group, role });
const TIME = s('time', 'time');
const REGION_SLOTS = [s('x'), s('y'), s('surgeRadius')];

/** The slots after each kind token (a surge with region = 1 gets REGION_SLOTS inserted after its region flag). */
export const EVENT_SLOTS: Readonly<Record<ScenarioEventKind, readonly Slot[]>> = {
  'node-fail': [TIME, s('node', 'fail-node')],
  'node-recover': [TIME, s('node', 'recover-node')],
  'jammer-on': [TIME, s('jammer', 'on-jammer'), s('x'), s('y'), s('jammerRadius'), s('jammerPower'), s('channel')],
  'jammer-off': [TIME, s('jammer', 'off-jammer')],
  'traffic-surge': [TIME, s('region', 'region'), s('surgeFactor'), s('surgeDuration')],
  'link-degrade': [TIME, s('node', 'from'), s('node', 'to'), s('degradeLoss'), s('degradeDuration')],
};

/**
 * Decoding state of one timeline. `constrained` (the default) enforces the validity rules while decoding:
 * time bins never decrease, a node can fail only while up and recover only while down, a jammer can turn on only
 * while off and off only while on, links join two different existing ends; at most maxEvents events. Without it only
 * the syntax is enforced (each slot gets a token of its group), which is what an unconstrained sampler would do.
 */
export class TimelineDecoder {
  readonly events: ScenarioEvent[] = [];
  done = false;
  #kind: ScenarioEventKind | undefined;
  #slots: Slot[] = [];
  #slot = 0;
  #values: number[] = [];
  #lastBin = 0;
  #lastTime = 0;
  readonly #down = new Set<number>();
  readonly #on = new Set<number>();

  constructor(
    readonly vocab: Vocabulary,
    readonly constrained = true,
  ) {}

  /** Tokens allowed next, as a 0/1 mask over the vocabulary (at least one is always allowed). */
  allowed(mask: Uint8Array = new Uint8Array(this.vocab.size)): Uint8Array {
    mask.fill(0);
    const v = this.vocab;
    const c = v.config;
    if (this.done) {
      mask[PAD] = 1;
      return mask;
    }
    if (this.#kind === undefined) {
      mask[EOS] = 1;
      if (this.events.length >= c.maxEvents) return mask;
      for (const kind of SCENARIO_EVENT_KINDS)
        if (!this.constrained || this.#kindPossible(kind)) mask[v.kindToken(kind)] = 1;
      return mask;
    }
    const slot = this.#slots[this.#slot] as Slot;
    const { offset, size } = v.range(slot.group);
    for (let i = 0; i < size; i++) if (!this.constrained || this.#valuePossible(slot, i)) mask[offset + i] = 1;
    return mask;
  }

  #kindPossible(kind: ScenarioEventKind): boolean {
    const c = this.vocab.config;
    switch (kind) {
      case 'node-fail':
        return this.#down.size < c.nodes;
      case 'node-recover':
        return this.#down.size > 0;
      case 'jammer-on':
        return this.#on.size < c.maxJammers;
      case 'jammer-off':
        return this.#on.size > 0;
      default:
        return true;
    }
  }

  #valuePossible(slot: Slot, i: number): boolean {
    const c = this.vocab.config;
    switch (slot.role) {
      case 'time':
        return i >= this.#lastBin;
      case 'fail-node':
        return i < c.nodes && !this.#down.has(i);
      case 'recover-node':
        return this.#down.has(i);
      case 'on-jammer':
        return !this.#on.has(i);
      case 'off-jammer':
        return this.#on.has(i);
      case 'from':
        return i < c.nodes;
      case 'to':
        return i !== this.#values[this.#values.length - 1];
      default:
        return true;
    }
  }

  /**
   * Feeds one token. A token the mask does not allow is INVALID_ARGUMENT (the sampler never produces one). When an
   * event is complete it is materialised: bins become values drawn uniformly inside them from `rng` (a time in the
   * same bin as the previous event is drawn at or after it, so times never decrease).
   */
  push(token: number, rng: Rng): void {
    const mask = this.allowed();
    if (mask[token] !== 1) {
      throw new TwinforgeError(
        'INVALID_ARGUMENT',
        `token ${token} (${JSON.stringify(this.vocab.decode(token))}) is not allowed here`,
      );
    }
    if (this.done) return;
    const { group, value } = this.vocab.decode(token);
    if (this.#kind === undefined) {
      if (token === EOS) {
        this.done = true;
        return;
      }
      this.#kind = SCENARIO_EVENT_KINDS[value] as ScenarioEventKind;
      this.#slots = [...EVENT_SLOTS[this.#kind]];
      this.#slot = 0;
      this.#values = [];
      return;
    }
    if (group === 'region' && value === 1) this.#slots.splice(this.#slot + 1, 0, ...REGION_SLOTS);
    this.#values.push(value);
    this.#slot++;
    if (this.#slot === this.#slots.length) {
      this.#finish(rng);
      this.#kind = undefined;
    }
  }

  #finish(rng: Rng): void {
    const c = this.vocab.config;
    const kind = this.#kind as ScenarioEventKind;
    const vals = this.#values;
    const bin = vals[0] as number;
    const width = c.horizon_s / c.timeBins;
    const lo = bin === this.#lastBin ? Math.max(this.#lastTime, bin * width) : bin * width;
    const hi = Math.min(c.horizon_s, (bin + 1) * width);
    // A bin before the last one can only come from unconstrained decoding: keep its own range there.
    const t = bin < this.#lastBin ? rng.uniform(bin * width, hi) : rng.uniform(lo, Math.max(lo, hi));
    if (bin >= this.#lastBin) {
      this.#lastBin = bin;
      this.#lastTime = t;
    }
    const xy = (bx: number, by: number) => ({
      x: ((bx + rng.uniform(0, 1)) * c.width_m) / c.xyBins,
      y: ((by + rng.uniform(0, 1)) * c.height_m) / c.xyBins,
    });
    switch (kind) {
      case 'node-fail':
        this.events.push({ kind, t, node: vals[1] as number });
        this.#down.add(vals[1] as number);
        break;
      case 'node-recover':
        this.events.push({ kind, t, node: vals[1] as number });
        this.#down.delete(vals[1] as number);
        break;
      case 'jammer-on':
        this.events.push({
          kind,
          t,
          jammer: vals[1] as number,
          position: xy(vals[2] as number, vals[3] as number),
          radius_m: fromBin(c.jammerRadius, vals[4] as number, rng),
          power_W: fromBin(c.jammerPower, vals[5] as number, rng),
          channel: vals[6] as number,
        });
        this.#on.add(vals[1] as number);
        break;
      case 'jammer-off':
        this.events.push({ kind, t, jammer: vals[1] as number });
        this.#on.delete(vals[1] as number);
        break;
      case 'traffic-surge': {
        const region = vals[1] === 1;
        const k = region ? 5 : 2;
        this.events.push({
          kind,
          t,
          ...(region
            ? {
                region: {
                  center: xy(vals[2] as number, vals[3] as number),
                  radius_m: fromBin(c.surgeRadius, vals[4] as number, rng),
                },
              }
            : {}),
          factor: fromBin(c.surgeFactor, vals[k] as number, rng),
          duration_s: fromBin(c.surgeDuration, vals[k + 1] as number, rng),
        });
        break;
      }
      case 'link-degrade':
        this.events.push({
          kind,
          t,
          from: vals[1] as number,
          to: vals[2] as number,
          loss_dB: fromBin(c.degradeLoss, vals[3] as number, rng),
          duration_s: fromBin(c.degradeDuration, vals[4] as number, rng),
        });
        break;
    }
  }
}

/**
 * The masks the decoder would apply while producing `tokens` (a whole encoded timeline, prefix included): row i
 * (of `tokens.length − 1` rows × vocabulary size) says which tokens may follow tokens[0..i]; prefix rows allow
 * everything (the prefix is given, never sampled). Training under these masks ("constrained maximum likelihood")
 * fits the distribution the sampler really draws from: the softmax is taken over the allowed tokens only, so the
 * model spends no mass on tokens decoding would renormalise away. Undefined when the timeline itself breaks a rule
 * under `constrained` (real data can: a node failing twice); callers then fall back to the syntax-only masks.
 */
export function decodingMasks(
  vocab: Vocabulary,
  tokens: readonly number[],
  constrained = true,
): Uint8Array | undefined {
  const V = vocab.size;
  const rows = tokens.length - 1;
  const out = new Uint8Array(rows * V);
  const dec = new TimelineDecoder(vocab, constrained);
  const rng = createRng(0);
  const first = vocab.prefixLength;
  for (let i = 0; i < rows; i++) {
    const row = out.subarray(i * V, (i + 1) * V);
    if (i + 1 < first) {
      row.fill(1);
      continue;
    }
    dec.allowed(row);
    const next = tokens[i + 1] as number;
    if (row[next] !== 1) {
      if (next === PAD) {
        row.fill(1);
        continue;
      }
      return undefined;
    }
    dec.push(next, rng);
  }
  return out;
}
