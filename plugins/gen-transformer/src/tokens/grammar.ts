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

/** Nodes down are counted up to this (more is rare and changes little). */
export const OPEN_NODES_CAP = 6;
const openNodesCap = (nodes: number) => Math.min(nodes, OPEN_NODES_CAP);

const openIds = (vocab: Vocabulary) => (vocab.config.maxJammers + 1) * (openNodesCap(vocab.config.nodes) + 1);
const hasClock = (vocab: Vocabulary) => vocab.config.timeEncoding === 'delta';

/** Rows of the state embedding table: the open-state ids, then (delta times) one clock id per time bin. */
export function openStateCount(vocab: Vocabulary): number {
  return openIds(vocab) + (hasClock(vocab) ? vocab.config.timeBins : 0);
}

/** State ids per token (TimelineDecoder.stateIds): 1, or 2 with the clock of delta times. */
export function openStateWidth(vocab: Vocabulary): number {
  return hasClock(vocab) ? 2 : 1;
}

/**
 * The state ids (TimelineDecoder.stateIds, openStateWidth of them per token, flattened) after each token of an
 * encoded timeline: what the network sees next to token i while predicting token i + 1, in training exactly as in
 * sampling. Prefix positions get the empty timeline's state. Tracked under syntax-only decoding, so timelines that
 * break a rule have states too.
 */
export function openStates(vocab: Vocabulary, tokens: readonly number[]): Int32Array {
  const k = openStateWidth(vocab);
  const out = new Int32Array(tokens.length * k);
  const dec = new TimelineDecoder(vocab, false);
  const rng = createRng(0);
  for (let i = 0; i < tokens.length; i++) {
    if (i >= vocab.prefixLength) dec.push(tokens[i] as number, rng);
    out.set(dec.stateIds(), i * k);
  }
  return out;
}

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
  /** Index of the first event in the current time bin (the events from there on share #lastBin). */
  #runStart = 0;
  readonly #down = new Set<number>();
  readonly #on = new Set<number>();

  constructor(
    readonly vocab: Vocabulary,
    readonly constrained = true,
  ) {}

  /**
   * Rows of the state embedding (see openStateCount) the network adds to the input of the token just fed: what is
   * open, jammers on × nodes down (capped at OPEN_NODES_CAP), and with delta times the clock (the last event's
   * absolute bin, which delta tokens only give as a sum). Whether a jammer-off or a node-recover can still come, and
   * how likely the timeline is to end, depends on how many openers are unclosed and how much time is left, which
   * attention over the prefix would otherwise have to count and add up.
   */
  stateIds(): number[] {
    const c = this.vocab.config;
    const cap = openNodesCap(c.nodes);
    const open = Math.min(this.#on.size, c.maxJammers) * (cap + 1) + Math.min(this.#down.size, cap);
    return hasClock(this.vocab) ? [open, openIds(this.vocab) + this.#lastBin] : [open];
  }

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
        // Delta bins count from the last event's bin: monotone by construction, the horizon bounds the step.
        return c.timeEncoding === 'delta' ? this.#lastBin + i < c.timeBins : i >= this.#lastBin;
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
   * event is complete it is materialised: bins become values drawn uniformly inside them from `rng`; the k events
   * that share a time bin get k sorted uniform draws in it (see #placeTime), so times never decrease.
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

  /**
   * Time of an event in `bin`, about to be appended. Given the bins, real event times in one bin are the sorted draws
   * of iid uniforms over it (the generator draws times independently and sorts them), so when this event joins k − 1
   * earlier ones in the same bin, all k get fresh sorted uniform draws. Drawing only the newcomer at or after its
   * predecessor instead piles same-bin gaps up near 0 (gap density −ln g rather than 2(1 − g) for a pair), which
   * showed as 3× too many inter-arrival gaps under 0.05 s. A bin before the last one can only come from
   * unconstrained decoding: that event keeps its own bin's range and does not join a run.
   */
  #placeTime(bin: number, rng: Rng): number {
    const c = this.vocab.config;
    const width = c.horizon_s / c.timeBins;
    const lo = bin * width;
    const hi = Math.min(c.horizon_s, (bin + 1) * width);
    if (bin < this.#lastBin) {
      this.#runStart = this.events.length + 1;
      return rng.uniform(lo, Math.max(lo, hi));
    }
    if (bin > this.#lastBin || this.events.length === 0) {
      this.#lastBin = bin;
      this.#runStart = this.events.length;
      return rng.uniform(lo, Math.max(lo, hi));
    }
    // Same bin as the run so far: re-draw the run's times together with the new one.
    const k = this.events.length - this.#runStart + 1;
    const times = Array.from({ length: k }, () => rng.uniform(lo, Math.max(lo, hi))).sort((a, b) => a - b);
    for (let j = 0; j < k - 1; j++) {
      const e = this.events[this.#runStart + j] as ScenarioEvent;
      this.events[this.#runStart + j] = { ...e, t: times[j] as number };
    }
    return times[k - 1] as number;
  }

  #finish(rng: Rng): void {
    const c = this.vocab.config;
    const kind = this.#kind as ScenarioEventKind;
    const vals = this.#values;
    const bin =
      c.timeEncoding === 'delta' ? Math.min(c.timeBins - 1, this.#lastBin + (vals[0] as number)) : (vals[0] as number);
    const t = this.#placeTime(bin, rng);
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
