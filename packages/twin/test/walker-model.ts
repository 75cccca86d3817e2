import type { Rng, ScenarioEvent } from '@twinforge/core';
import {
  createSnapshot,
  type DomainModel,
  type ModelOutcome,
  type SnapshotDraft,
  type TwinSnapshot,
} from '../src/index.js';

/**
 * A small model for the twin's own tests: `walkers` devices on a line, each step adds the action (-1, 0 or +1) and
 * Gaussian jitter to every walker's x; reward is minus the mean |x| over walkers on nodes that are up. Scenario
 * events `node-fail` / `node-recover` switch nodes off and on.
 */
export class WalkerModel implements DomainModel<number, Float32Array> {
  readonly supportedEvents = ['node-fail', 'node-recover'] as const;

  constructor(readonly jitter = 0.1) {}

  isValidAction(action: unknown): boolean {
    return action === -1 || action === 0 || action === 1;
  }

  step(draft: SnapshotDraft, action: number, rng: Rng): ModelOutcome {
    const x = draft.writable('devices', 'x');
    const node = draft.column('devices', 'node');
    const up = draft.column('nodes', 'up');
    let cost = 0;
    let counted = 0;
    for (let i = 0; i < x.length; i++) {
      x[i] = (x[i] as number) + action + rng.normal(0, this.jitter);
      if ((up[node[i] as number] as number) === 1) {
        cost += Math.abs(x[i] as number);
        counted++;
      }
    }
    draft.time = draft.time + 1;
    const horizon = draft.param('horizon') ?? 10;
    return { reward: counted > 0 ? -cost / counted : 0, terminated: draft.time >= horizon };
  }

  observe(snapshot: TwinSnapshot): Float32Array {
    return Float32Array.from(snapshot.entities.devices?.columns.x ?? []);
  }

  applyEvent(draft: SnapshotDraft, event: ScenarioEvent): void {
    if (event.kind === 'node-fail') draft.setById('nodes', event.node, 'up', 0);
    if (event.kind === 'node-recover') draft.setById('nodes', event.node, 'up', 1);
  }
}

/** A snapshot with `walkers` devices spread over `nodes` nodes. */
export function walkerSnapshot(walkers = 4, nodes = 2, horizon = 10): TwinSnapshot {
  return createSnapshot({
    params: { horizon },
    entities: {
      devices: {
        columns: {
          x: Array.from({ length: walkers }, (_, i) => i - walkers / 2),
          y: new Array(walkers).fill(0),
          node: Array.from({ length: walkers }, (_, i) => i % nodes),
        },
      },
      nodes: { columns: { up: new Array(nodes).fill(1), x: Array.from({ length: nodes }, (_, i) => 10 * i) } },
    },
  });
}
