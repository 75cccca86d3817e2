import { TwinforgeError } from './errors.js';
import type { Scenario, ScenarioEventKind } from './scenario.js';

/**
 * Checks the invariants every consumer relies on: finite times sorted ascending, grids whose data length matches,
 * and (when `supported` is given) only event kinds the consumer understands. An unsupported kind is an error,
 * never silently dropped.
 */
export function validateScenario(scenario: Scenario, supported?: readonly ScenarioEventKind[]): Scenario {
  let last = Number.NEGATIVE_INFINITY;
  scenario.events.forEach((event, i) => {
    if (!Number.isFinite(event.t) || event.t < 0) {
      throw new TwinforgeError('SCENARIO_INVALID', `scenario ${scenario.id}: events[${i}].t must be finite and >= 0`);
    }
    if (event.t < last) {
      throw new TwinforgeError(
        'SCENARIO_INVALID',
        `scenario ${scenario.id}: events[${i}] is earlier than events[${i - 1}]`,
      );
    }
    last = event.t;
    if (supported && !supported.includes(event.kind)) {
      throw new TwinforgeError(
        'SCENARIO_UNSUPPORTED_EVENT',
        `scenario ${scenario.id}: event kind "${event.kind}" (events[${i}]) is not supported here; supported: ${supported.join(', ') || 'none'}`,
        { details: { kind: event.kind, index: i } },
      );
    }
  });
  for (const [name, grid] of Object.entries(scenario.maps ?? {})) {
    if (grid.data.length !== grid.width * grid.height) {
      throw new TwinforgeError(
        'SCENARIO_INVALID',
        `scenario ${scenario.id}: map "${name}" has ${grid.data.length} values for ${grid.width}x${grid.height}`,
      );
    }
  }
  return scenario;
}
