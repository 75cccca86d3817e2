import { createRng, type ResetOptions, type Rng, type StepResult } from '@twinforge/core';
import { Discrete, type Env } from '@twinforge/rl';
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
 * A deterministic chain for exact checks: positions 0..length, action 1 moves right and earns `stepReward`, action 0
 * stays and earns 0, reaching `length` terminates. With `slip` > 0 a right move fails with that probability.
 */
export class ChainModel implements DomainModel<number, number> {
  constructor(
    readonly length: number,
    readonly stepReward = 1,
    readonly slip = 0,
  ) {}
  step(draft: SnapshotDraft, action: number, rng: Rng): ModelOutcome {
    const p = draft.get('devices', 0, 'p');
    const moved = action === 1 && (this.slip === 0 || !rng.bernoulli(this.slip));
    const next = moved ? p + 1 : p;
    draft.set('devices', 0, 'p', next);
    draft.time = draft.time + 1;
    return { reward: action === 1 ? this.stepReward : 0, terminated: next >= this.length };
  }
  observe(snapshot: TwinSnapshot): number {
    return snapshot.entities.devices?.columns.p?.[0] as number;
  }
}

export class ChainEnv implements Env<number, number>, TwinSource<number, number> {
  readonly observationSpace: Discrete;
  readonly actionSpace = new Discrete(2);
  readonly twinModel: ChainModel;
  #domain: DigitalDomain<number, number> | undefined;
  #rng: Rng = createRng(0);
  constructor(length = 5, slip = 0) {
    this.twinModel = new ChainModel(length, 1, slip);
    this.observationSpace = new Discrete(length + 1);
  }
  twinSnapshot(): TwinSnapshot {
    return (this.#domain as DigitalDomain<number, number>).snapshot;
  }
  reset(options: ResetOptions = {}) {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    this.#domain?.dispose();
    this.#domain = new DigitalDomain({
      id: 'chain',
      role: 'identical',
      model: this.twinModel,
      snapshot: createSnapshot({ entities: { devices: { columns: { p: [0] } } } }),
      rng: this.#rng.split(`episode${this.#rng.nextUint32()}`),
    });
    return { observation: 0, info: {} };
  }
  step(action: number): StepResult<number> {
    return (this.#domain as DigitalDomain<number, number>).step(action);
  }
}
