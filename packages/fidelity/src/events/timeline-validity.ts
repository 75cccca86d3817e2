import type { ScenarioEvent } from '@twinforge/core';
import type { Timeline } from './event-statistics.js';

/** What a timeline is checked against: the mesh it is meant for. */
export interface TimelineRules {
  /** Nodes of the mesh; node indices are 0..nodes−1 and a link may also end at the gateway (index = nodes). */
  readonly nodes: number;
  /** Episode length: events after it never fire. */
  readonly horizon_s?: number;
  readonly channels?: number;
  /** Jammer ids are 0..maxJammers−1. */
  readonly maxJammers?: number;
  /** Area the positions must lie in, [0, width] × [0, height]. */
  readonly width_m?: number;
  readonly height_m?: number;
}

export type ValidityRule =
  | 'time-invalid'
  | 'time-decreasing'
  | 'node-missing'
  | 'link-self'
  | 'recover-before-fail'
  | 'fail-while-down'
  | 'off-before-on'
  | 'on-while-on'
  | 'jammer-id'
  | 'channel'
  | 'position'
  | 'value';

export interface TimelineViolation {
  readonly index: number;
  readonly rule: ValidityRule;
  readonly message: string;
}

const isIndex = (v: number, below: number) => Number.isInteger(v) && v >= 0 && v < below;

/**
 * Every rule a timeline breaks, in event order: times finite, ≥ 0, within the horizon and never decreasing; nodes
 * exist (a link may end at the gateway, never at itself); a node fails before it recovers and not again while down;
 * a jammer turns on before it turns off and not again while on; jammer ids, channels and positions within the mesh's;
 * radii, powers, factors and durations positive, losses ≥ 0. Empty result: a valid timeline.
 */
export function timelineViolations(events: Timeline, rules: TimelineRules): TimelineViolation[] {
  const out: TimelineViolation[] = [];
  const down = new Set<number>();
  const on = new Set<number>();
  let last = 0;
  const bad = (index: number, rule: ValidityRule, message: string) => out.push({ index, rule, message });
  const positive = (i: number, v: number | undefined, field: string) => {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) bad(i, 'value', `${field} = ${v} must be > 0`);
  };
  const position = (i: number, p: { x: number; y: number }) => {
    const w = rules.width_m ?? Number.POSITIVE_INFINITY;
    const h = rules.height_m ?? Number.POSITIVE_INFINITY;
    if (!(p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h)) bad(i, 'position', `(${p.x}, ${p.y}) is outside the area`);
  };
  events.forEach((e: ScenarioEvent, i) => {
    if (!Number.isFinite(e.t) || e.t < 0 || (rules.horizon_s !== undefined && e.t > rules.horizon_s)) {
      bad(i, 'time-invalid', `t = ${e.t} is not within [0, ${rules.horizon_s ?? '∞'}]`);
    } else if (e.t < last) {
      bad(i, 'time-decreasing', `t = ${e.t} is earlier than the previous event (${last})`);
    }
    if (Number.isFinite(e.t)) last = Math.max(last, e.t);
    switch (e.kind) {
      case 'node-fail':
        if (!isIndex(e.node, rules.nodes)) bad(i, 'node-missing', `node ${e.node} does not exist`);
        else if (down.has(e.node)) bad(i, 'fail-while-down', `node ${e.node} fails while already down`);
        down.add(e.node);
        break;
      case 'node-recover':
        if (!isIndex(e.node, rules.nodes)) bad(i, 'node-missing', `node ${e.node} does not exist`);
        else if (!down.has(e.node)) bad(i, 'recover-before-fail', `node ${e.node} recovers but is not down`);
        down.delete(e.node);
        break;
      case 'jammer-on':
        if (!isIndex(e.jammer, rules.maxJammers ?? Number.MAX_SAFE_INTEGER)) {
          bad(i, 'jammer-id', `jammer id ${e.jammer} is not allowed`);
        } else if (on.has(e.jammer)) bad(i, 'on-while-on', `jammer ${e.jammer} turns on while on`);
        on.add(e.jammer);
        if (rules.channels !== undefined && !isIndex(e.channel, rules.channels)) {
          bad(i, 'channel', `channel ${e.channel} does not exist`);
        }
        position(i, e.position);
        positive(i, e.radius_m, 'radius_m');
        positive(i, e.power_W, 'power_W');
        break;
      case 'jammer-off':
        if (!on.has(e.jammer)) bad(i, 'off-before-on', `jammer ${e.jammer} turns off but is not on`);
        on.delete(e.jammer);
        break;
      case 'traffic-surge':
        positive(i, e.factor, 'factor');
        positive(i, e.duration_s, 'duration_s');
        if (e.region) {
          position(i, e.region.center);
          positive(i, e.region.radius_m, 'region.radius_m');
        }
        break;
      case 'link-degrade':
        if (!isIndex(e.from, rules.nodes + 1)) bad(i, 'node-missing', `link end ${e.from} does not exist`);
        if (!isIndex(e.to, rules.nodes + 1)) bad(i, 'node-missing', `link end ${e.to} does not exist`);
        if (e.from === e.to) bad(i, 'link-self', `link ${e.from}-${e.to} joins a node to itself`);
        if (!(Number.isFinite(e.loss_dB) && e.loss_dB >= 0)) bad(i, 'value', `loss_dB = ${e.loss_dB} must be >= 0`);
        positive(i, e.duration_s, 'duration_s');
        break;
    }
  });
  return out;
}

export interface ValidityReport {
  /** Share of timelines with at least one violation. */
  readonly rate: number;
  /** Total violations and per rule. */
  readonly violations: number;
  readonly byRule: Readonly<Partial<Record<ValidityRule, number>>>;
}

export function validityReport(timelines: readonly Timeline[], rules: TimelineRules): ValidityReport {
  const byRule: Partial<Record<ValidityRule, number>> = {};
  let badTimelines = 0;
  let violations = 0;
  for (const tl of timelines) {
    const v = timelineViolations(tl, rules);
    if (v.length > 0) badTimelines++;
    violations += v.length;
    for (const x of v) byRule[x.rule] = (byRule[x.rule] ?? 0) + 1;
  }
  return { rate: timelines.length === 0 ? 0 : badTimelines / timelines.length, violations, byRule };
}
