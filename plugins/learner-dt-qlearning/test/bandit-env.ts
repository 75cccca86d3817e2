import { createRng, type ResetOptions, type Rng, type StepResult } from '@twinforge/core';
import { Box, Discrete, type Env } from '@twinforge/rl';
import {
  createSnapshot,
  DigitalDomain,
  type DomainModel,
  type ModelOutcome,
  type SnapshotDraft,
  type TwinSnapshot,
  type TwinSource,
} from '@twinforge/twin';

/**
 * A one-step contextual bandit with a continuous context: x ~ U(0, 1) is observed, action 1 pays x and action 0
 * pays 1 − x, then the episode ends. The best action flips at x = 0.5, which a Q-network must learn.
 */
export class BanditModel implements DomainModel<number, Float32Array> {
  step(draft: SnapshotDraft, action: number, _rng: Rng): ModelOutcome {
    const x = draft.get('devices', 0, 'x');
    draft.time = draft.time + 1;
    return { reward: action === 1 ? x : 1 - x, terminated: true };
  }
  observe(snapshot: TwinSnapshot): Float32Array {
    return Float32Array.of(snapshot.entities.devices?.columns.x?.[0] as number);
  }
}

export class BanditEnv implements Env<Float32Array, number>, TwinSource<number, Float32Array> {
  readonly observationSpace = new Box(0, 1, { shape: [1] });
  readonly actionSpace = new Discrete(2);
  readonly twinModel = new BanditModel();
  #domain: DigitalDomain<number, Float32Array> | undefined;
  #rng: Rng = createRng(0);
  twinSnapshot(): TwinSnapshot {
    return (this.#domain as DigitalDomain<number, Float32Array>).snapshot;
  }
  reset(options: ResetOptions = {}) {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    this.#domain?.dispose();
    this.#domain = new DigitalDomain({
      id: 'bandit',
      role: 'identical',
      model: this.twinModel,
      snapshot: createSnapshot({ entities: { devices: { columns: { x: [this.#rng.uniform()] } } } }),
      rng: this.#rng.split('dynamics'),
    });
    return { observation: this.#domain.observe(), info: {} };
  }
  step(action: number): StepResult<Float32Array> {
    return (this.#domain as DigitalDomain<number, Float32Array>).step(action);
  }
}
