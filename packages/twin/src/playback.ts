import {
  type Scenario,
  type ScenarioEvent,
  type ScenarioEventKind,
  TwinforgeError,
  validateScenario,
} from '@twinforge/core';
import { asyncScheduler, concatMap, from, map, Observable, type SchedulerLike, timer } from 'rxjs';

/**
 * A scenario's event timeline with a cursor: `due(time)` hands out, once each and in order, the events whose time
 * has come. Loading validates the scenario against the kinds the consumer supports, so an unsupported kind is a
 * SCENARIO_UNSUPPORTED_EVENT error up front, never an event silently dropped halfway through an episode.
 */
export class ScenarioTimeline {
  readonly scenario: Scenario;
  #cursor: number;

  /** `supported: null` skips validation: only for copies of a timeline that was validated already. */
  constructor(scenario: Scenario, supported: readonly ScenarioEventKind[] | null, cursor = 0) {
    this.scenario = supported === null ? scenario : validateScenario(scenario, supported);
    this.#cursor = cursor;
  }

  /** Events not fired yet. */
  get pending(): number {
    return this.scenario.events.length - this.#cursor;
  }

  /** Events with `t <= time` not handed out before, in timeline order. */
  due(time: number): ScenarioEvent[] {
    const events = this.scenario.events;
    const out: ScenarioEvent[] = [];
    while (this.#cursor < events.length && (events[this.#cursor] as ScenarioEvent).t <= time) {
      out.push(events[this.#cursor++] as ScenarioEvent);
    }
    return out;
  }

  /** A copy at the same position (forks replay the same future). The events array is shared: scenarios are data. */
  clone(): ScenarioTimeline {
    return new ScenarioTimeline(this.scenario, null, this.#cursor);
  }
}

export interface ScenarioEventsOptions {
  /** Event kinds the consumer supports (all kinds when omitted). */
  supported?: readonly ScenarioEventKind[];
  scheduler?: SchedulerLike;
  /** Milliseconds of scheduler time per simulated second (1000 = real time). */
  msPerSecond?: number;
}

/**
 * The scenario timeline as an Observable that emits each event at its time on a scheduler: real time for a live
 * twin, virtual time in marble tests. It validates on subscription, so an unsupported kind errors the stream with
 * SCENARIO_UNSUPPORTED_EVENT.
 */
export function scenarioEvents$(scenario: Scenario, options: ScenarioEventsOptions = {}): Observable<ScenarioEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const scale = options.msPerSecond ?? 1000;
  if (!(scale > 0)) throw new TwinforgeError('INVALID_ARGUMENT', `msPerSecond must be > 0, got ${scale}`);
  return new Observable<ScenarioEvent>((subscriber) => {
    const timeline = new ScenarioTimeline(scenario, options.supported ?? allKinds(scenario));
    const start = scheduler.now();
    return from(timeline.scenario.events)
      .pipe(
        concatMap((event) =>
          timer(Math.max(0, start + event.t * scale - scheduler.now()), scheduler).pipe(map(() => event)),
        ),
      )
      .subscribe(subscriber);
  });
}

function allKinds(scenario: Scenario): ScenarioEventKind[] {
  return [...new Set(scenario.events.map((e) => e.kind))];
}
