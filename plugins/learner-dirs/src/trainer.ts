import { type Rng, type StepRecord, TwinforgeError } from '@twinforge/core';
import {
  MEC_SCENARIOS,
  type MecCostModel,
  MecEnv,
  type MecEnvConfigInput,
  MecSystem,
  maxVoteInto,
} from '@twinforge/plugin-env-mec';
import { PrioritizedReplay } from '@twinforge/rl';
import { greedyPolicy } from './baselines/simple.js';
import { type DirsConfig, type DirsConfigInput, resolveDirsConfig } from './config.js';
import { DirsPolicy } from './dirs-policy.js';
import { type AgentBatch, DirsAgents } from './nn/dirs-agents.js';
import { GainFeatures } from './nn/features.js';
import { decisionActor, rolloutMec, type SlotRecord } from './rollout.js';
import { levyFlightSearch } from './search/levy-search.js';

/** States and the searched decisions for them. */
export interface Demonstrations {
  readonly gains: Float64Array[];
  readonly decisions: Int32Array[];
  readonly phis: number[];
  /** Φ of the search's starting decision, to show what the search added. */
  readonly startPhis: number[];
}

export interface PretrainReport {
  readonly iterations: number;
  /** Mean over agents of the Eq. 14 loss, per iteration. */
  readonly losses: number[];
}

export interface OnlineReport {
  readonly slots: number;
  readonly rounds: number;
  /** Φ of every executed (ensemble) decision, per slot. */
  readonly executedPhi: number[];
  /** Φ of the refined decision a* stored at each round. */
  readonly refinedPhi: number[];
  /** Mean over agents of the Eq. 16 loss, per update. */
  readonly losses: number[];
}

/**
 * DIRS training (seed 004 Algorithms 1-4) for one MEC layout: demonstrations by Lévy flight search, imitation
 * pre-training with the loss of Eq. 14, then the online stage: the ensemble acts every slot; every φ slots the Lévy
 * flight search refines its decision, the refined pair goes into the prioritized replay (Eq. 15, demonstrations kept
 * in reserved slots with their own ε), and every agent takes T_M Adam steps on the loss of Eq. 16.
 */
export class DirsTrainer {
  readonly config: DirsConfig;
  readonly envConfig: MecEnvConfigInput;
  readonly system: MecSystem;
  readonly agents: DirsAgents;
  readonly replay: PrioritizedReplay;
  #features: GainFeatures | undefined;
  readonly #rng: Rng;
  #demoCount = 0;

  constructor(envConfig: MecEnvConfigInput, config: DirsConfigInput, rng: Rng) {
    this.config = resolveDirsConfig(config);
    this.envConfig = envConfig;
    this.system = new MecSystem(envConfig);
    this.#rng = rng;
    const { devices: n, mecs: m } = this.system;
    const preset = MEC_SCENARIOS[this.system.config.scenario];
    const presetHidden =
      preset.devices === n && preset.mecs === m ? ([preset.agentLayers[1], preset.agentLayers[2]] as const) : undefined;
    const hidden = this.config.hidden ?? presetHidden ?? ([Math.ceil(1.5 * n), Math.ceil(1.25 * n)] as const);
    this.agents = new DirsAgents(
      { devices: n, mecs: m, hidden, lr: this.config.lr, lambda1: this.config.lambda1 },
      rng.split('agents'),
    );
    if (this.config.demonstrations >= this.config.replayCapacity) {
      throw new TwinforgeError(
        'CONFIG_INVALID',
        `demonstrations (${this.config.demonstrations}) must be fewer than replayCapacity (${this.config.replayCapacity})`,
      );
    }
    this.replay = new PrioritizedReplay(this.config.replayCapacity, n * m, n, {
      alpha: this.config.priorityExponent,
      beta: 0,
      epsilonAgent: this.config.epsilonAgent,
      epsilonDemo: this.config.epsilonDemo,
      demoCapacity: this.config.demonstrations,
    });
  }

  /** The input transform, fitted on the demonstrations (available after `addDemonstrations`). */
  get features(): GainFeatures {
    if (!this.#features) throw new TwinforgeError('LEARNER_FAILED', 'DIRS: add demonstrations before training');
    return this.#features;
  }

  /** The current policy (shares the agents: it follows training). */
  policy(): DirsPolicy {
    return new DirsPolicy(this.agents, this.features, this.config.voteThreshold);
  }

  /** The demonstration expert: the chosen start, refined by the Lévy flight search with the demonstration settings. */
  expert(rng: Rng): (model: MecCostModel) => { decision: Int32Array; phi: number; startPhi: number } {
    return (model) => {
      const start =
        this.config.demoStart === 'greedy'
          ? greedyPolicy.decide(model, rng)
          : this.config.demoStart === 'nearest'
            ? Int32Array.from(this.system.layout.nearestMec)
            : new Int32Array(model.devices);
      const r = levyFlightSearch(model, start, rng, this.config.levyDemo);
      return { decision: r.decision, phi: r.phi, startPhi: model.evaluate(start) };
    };
  }

  /**
   * Algorithm 2 line 1: runs the expert in the environment for `count` slots from reset seed `seed` and returns the
   * (h, a*) pairs; with `record`, the expert's trajectory goes out as dataset rows.
   */
  generateDemonstrations(
    seed: number,
    options: { count?: number; record?: (r: StepRecord) => void } = {},
  ): Demonstrations {
    const count = options.count ?? this.config.demonstrations;
    const env = new MecEnv({ ...this.envConfig, horizon: count });
    const expert = this.expert(this.#rng.split(`demo-search/${seed}`));
    const startPhis: number[] = [];
    const slots = rolloutMec(
      env,
      decisionActor((model) => {
        const r = expert(model);
        startPhis.push(r.startPhi);
        return r.decision;
      }),
      {
        seed,
        slots: count,
        ...(options.record ? { record: options.record } : {}),
        scenarioId: `demonstrations-${seed}`,
      },
    );
    return {
      gains: slots.map((s) => s.gains),
      decisions: slots.map((s) => s.decision),
      phis: slots.map((s) => s.phi),
      startPhis,
    };
  }

  /** Algorithm 1 lines 3-4: fits the input transform and keeps the demonstrations in the replay buffer for good. */
  addDemonstrations(demos: Demonstrations): void {
    if (this.#demoCount + demos.gains.length > this.config.demonstrations) {
      throw new TwinforgeError(
        'LEARNER_FAILED',
        `DIRS: at most ${this.config.demonstrations} demonstrations fit the reserved replay slots`,
      );
    }
    if (!this.#features) this.#features = GainFeatures.fit(demos.gains);
    demos.gains.forEach((g, k) => {
      this.#store(g, demos.decisions[k] as Int32Array, 1 / (demos.phis[k] as number), true);
    });
    this.#demoCount += demos.gains.length;
  }

  #store(gains: Float64Array, decision: Int32Array, reward: number, demo: boolean): void {
    const f = this.features.matrixInto(new Float32Array(gains.length), gains);
    this.replay.add({ observation: f, action: decision, reward, nextObservation: f, terminated: false }, { demo });
  }

  /** One prioritized minibatch and one Adam step per agent (Eq. 14 without agent rows, Eq. 16 with them). */
  #update(rng: Rng): number {
    const b = Math.min(this.config.batchSize, Math.max(this.replay.size, 1));
    const batch = this.replay.sample(rng, this.replay.createBatch(b));
    let demoRows = 0;
    for (let r = 0; r < b; r++) demoRows += batch.isDemo[r] as number;
    const agentRows = b - demoRows;
    const rowWeights = new Float32Array(b);
    for (let r = 0; r < b; r++) {
      rowWeights[r] = batch.isDemo[r] ? 1 / demoRows : this.config.lambda2 / agentRows;
    }
    const step = this.agents.trainStep({
      size: b,
      features: batch.observations,
      decisions: batch.actions,
      rowWeights,
    } satisfies AgentBatch);
    this.replay.updatePriorities(batch.indices, step.rowLoss);
    let mean = 0;
    for (const l of step.losses) mean += l;
    return mean / step.losses.length;
  }

  /** Algorithm 2: T_D imitation updates on the demonstrations alone. */
  pretrain(iterations = this.config.pretrainIterations): PretrainReport {
    if (this.#demoCount === 0) throw new TwinforgeError('LEARNER_FAILED', 'DIRS: pre-training needs demonstrations');
    const rng = this.#rng.split('pretrain');
    const losses: number[] = [];
    for (let it = 0; it < iterations; it++) losses.push(this.#update(rng));
    return { iterations, losses };
  }

  /**
   * Algorithm 1's online stage for `slots` slots from reset seed `seed`: the ensemble acts every slot, and every φ
   * slots the Lévy flight search refines the decision, the refined pair is stored, and T_M updates follow.
   */
  online(
    seed: number,
    options: { slots?: number; record?: (r: StepRecord) => void; onRound?: (round: number, loss: number) => void } = {},
  ): OnlineReport {
    const slots = options.slots ?? this.config.onlineSteps;
    const executedPhi: number[] = [];
    if (slots === 0) return { slots, rounds: 0, executedPhi, refinedPhi: [], losses: [] };
    const env = new MecEnv({ ...this.envConfig, horizon: slots });
    const policy = this.policy();
    const stage = this.onlineStage(seed, options.onRound);
    let current: MecCostModel | undefined;
    rolloutMec(
      env,
      (model) => {
        current = model;
        return policy.scores(model.instance.gain).map((s) => s.slice());
      },
      {
        seed,
        slots,
        ...(options.record ? { record: options.record } : {}),
        scenarioId: `online-${seed}`,
        onSlot: (_t: number, executed: SlotRecord) => {
          executedPhi.push(executed.phi);
          stage.observe(current as MecCostModel, executed.decision);
        },
      },
    );
    return { slots, rounds: stage.rounds, executedPhi, refinedPhi: stage.refinedPhi, losses: stage.losses };
  }

  /**
   * The online training of Algorithms 1 and 3 as a per-slot hook, for loops that step the environment themselves
   * (`online`, the pipeline learner): `observe(model, executed)` after every slot; every φ-th call refines, stores and
   * trains.
   */
  onlineStage(
    seed: number,
    onRound?: (round: number, loss: number) => void,
  ): {
    observe(model: MecCostModel, executed: Int32Array): void;
    readonly rounds: number;
    readonly refinedPhi: number[];
    readonly losses: number[];
  } {
    const searchRng = this.#rng.split(`online-search/${seed}`);
    const trainRng = this.#rng.split(`online-train/${seed}`);
    const pending: { model: MecCostModel; decision: Int32Array }[] = [];
    const refinedPhi: number[] = [];
    const losses: number[] = [];
    let slot = 0;
    let rounds = 0;
    return {
      refinedPhi,
      losses,
      get rounds() {
        return rounds;
      },
      observe: (model, executed) => {
        const entry = { model, decision: executed.slice() };
        if (this.config.refineAllSlots) pending.push(entry);
        else pending[0] = entry;
        slot++;
        if (slot % this.config.trainInterval !== 0) return;
        for (const p of pending) {
          const r = levyFlightSearch(p.model, p.decision, searchRng, this.config.levyOnline);
          refinedPhi.push(r.phi);
          this.#store(p.model.instance.gain, r.decision, 1 / r.phi, false);
        }
        pending.length = 0;
        let loss = 0;
        for (let k = 0; k < this.config.trainIterations; k++) {
          const l = this.#update(trainRng);
          losses.push(l);
          loss += l;
        }
        onRound?.(rounds, loss / this.config.trainIterations);
        rounds++;
      },
    };
  }

  /** Fraction of devices whose voted decision equals the target's (Table II's accuracy). */
  accuracy(gains: readonly Float64Array[], decisions: readonly Int32Array[]): number {
    const policy = this.policy();
    let hit = 0;
    let total = 0;
    const out = new Int32Array(this.system.devices);
    gains.forEach((g, k) => {
      maxVoteInto(out, policy.scores(g), this.config.voteThreshold);
      const target = decisions[k] as Int32Array;
      for (let i = 0; i < out.length; i++) if (out[i] === target[i]) hit++;
      total += out.length;
    });
    return total === 0 ? 0 : hit / total;
  }

  dispose(): void {
    this.agents.dispose();
  }
}
