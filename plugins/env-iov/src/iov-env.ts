import {
  createRng,
  type ResetOptions,
  type ResetResult,
  type Rng,
  type Scenario,
  type ScenarioEventKind,
  type StepResult,
  TwinforgeError,
} from '@twinforge/core';
import { Box, Discrete, type Env } from '@twinforge/rl';
import { DigitalDomain, type TwinSnapshot, type TwinSource } from '@twinforge/twin';
import type { IovConfig } from './config.js';
import { IovModel, OBS_FIRST_AP } from './iov-model.js';

/**
 * The URLLC vehicle access-point selection environment (seed 001 §IV-A) as a Gymnasium-style `Env`:
 * observation `Box(0, 1, [2 + APs])` = [vehicle position / road length, task size in its range, AP up flags],
 * action `Discrete(APs)` = the AP the task is sent through, one step per task, terminated after the last task.
 *
 * The physical side is itself a digital domain stepping `IovModel` (a simulator standing in for the physical
 * space, as DESIGN.md allows), so it is a `TwinSource`: a twin mirrors `twinSnapshot()` and forks domains that step
 * exactly the same equations, which is what DT-enhanced learners need.
 */
export class IovEnv implements Env<Float32Array, number>, TwinSource<number, Float32Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  readonly supportedEvents: readonly ScenarioEventKind[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly model: IovModel;
  #rng: Rng;
  #domain: DigitalDomain<number, Float32Array> | undefined;
  #episodes = 0;

  constructor(
    readonly config: IovConfig,
    rng: Rng = createRng(0),
  ) {
    this.model = new IovModel(config);
    this.#rng = rng;
    this.observationSpace = new Box(0, 1, { shape: [OBS_FIRST_AP + this.model.actions] });
    this.actionSpace = new Discrete(this.model.actions);
    this.supportedEvents = this.model.supportedEvents;
    this.metadata = {
      accessPoints: config.accessPoints.map((a) => a.name),
      tasksPerEpisode: config.tasksPerEpisode,
      rewardRange: [-config.reward.failurePenalty - config.reward.costWeight * maxCost(config), config.reward.success],
    };
  }

  get twinModel(): IovModel {
    return this.model;
  }

  /** The current physical state (what perfect telemetry would report). */
  twinSnapshot(): TwinSnapshot {
    return this.#live().snapshot;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    const episode = createRng(this.#rng.nextUint32());
    this.#domain?.dispose();
    const domain = new DigitalDomain<number, Float32Array>({
      id: `iov/physical/${this.#episodes++}`,
      role: 'identical',
      model: this.model,
      snapshot: this.model.initialSnapshot(episode.split('initial')),
      rng: episode.split('dynamics'),
    });
    this.#domain = domain;
    const scenario = options.options?.scenario as Scenario | undefined;
    if (scenario !== undefined) domain.load(scenario);
    return { observation: domain.observe(), info: { time_s: domain.snapshot.time } };
  }

  step(action: number): StepResult<Float32Array> {
    const domain = this.#live();
    if (!this.actionSpace.contains(action)) {
      throw new TwinforgeError(
        'ENV_INVALID_ACTION',
        `IoV action must be an AP index in 0..${this.model.actions - 1}, got ${String(action)}`,
      );
    }
    return domain.step(action);
  }

  close(): void {
    this.#domain?.dispose();
    this.#domain = undefined;
  }

  #live(): DigitalDomain<number, Float32Array> {
    if (!this.#domain) throw new TwinforgeError('ENV_NOT_RESET', 'call reset() before step()');
    return this.#domain;
  }
}

function maxCost(config: IovConfig): number {
  return Math.max(...config.accessPoints.map((a) => a.cost));
}
