import {
  type ActOptions,
  type AnyEnv,
  type Learner,
  type Policy,
  type Rng,
  runEpisodes,
  type TrainContext,
  type TrainEvent,
  TwinforgeError,
} from '@twinforge/core';
import { type MecCostModel, MecEnv, type MecStepInfo } from '@twinforge/plugin-env-mec';
import { concat, defer, mergeMap, type Observable, of } from 'rxjs';
import type { DirsConfigInput } from './config.js';
import type { DecisionPolicy } from './decision-policy.js';
import { DirsPolicy } from './dirs-policy.js';
import { DirsTrainer } from './trainer.js';

function asMecEnv(env: AnyEnv | undefined, learner: string): MecEnv {
  if (!(env instanceof MecEnv)) {
    throw new TwinforgeError('LEARNER_FAILED', `learner '${learner}' runs on the 'mec' environment of plugin-env-mec`);
  }
  return env;
}

/**
 * A centralised decision rule as a pipeline learner: nothing to train; each slot the rule decides on the slot's cost
 * model (all gains) once, and every agent emits the one-hot scores of its MEC, so the vote executes the decision.
 */
export class MecDecisionLearner implements Learner {
  readonly id: string;
  readonly #make: (env: MecEnv) => DecisionPolicy;
  readonly #rng: Rng;
  #env: MecEnv | undefined;
  #rule: DecisionPolicy | undefined;

  constructor(id: string, make: (env: MecEnv) => DecisionPolicy, rng: Rng) {
    this.id = id;
    this.#make = make;
    this.#rng = rng;
  }

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => {
      this.#env = asMecEnv(ctx.env, this.id);
      this.#rule = this.#make(this.#env);
      return runEpisodes(ctx, this.policy());
    });
  }

  policy(): Policy {
    let model: MecCostModel | undefined;
    let decision: Int32Array = new Int32Array(0);
    return {
      act: (_observation: unknown, options: ActOptions) => {
        const env = asMecEnv(this.#env, this.id);
        if (env.model !== model) {
          model = env.model;
          decision = (this.#rule as DecisionPolicy).decide(model, this.#rng);
        }
        const j = env.possibleAgents.indexOf(options.agent ?? '');
        if (j < 0) throw new TwinforgeError('INVALID_ARGUMENT', `unknown agent '${String(options.agent)}'`);
        const out = new Float32Array(env.actionSpace(options.agent as string).flatdim);
        for (let i = 0; i < decision.length; i++) if (decision[i] === j + 1) out[i] = 1;
        return out;
      },
    };
  }
}

/**
 * DIRS as a pipeline learner: demonstrations and imitation pre-training on the pipeline's environment layout, then the
 * pipeline's episodes are the online stage — each agent acts on its own observation h_j (distributed inference), and
 * after every slot the trainer's online hook refines, stores and trains every φ slots. Emits `metrics` events for
 * pre-training and every training round.
 */
export class DirsLearner implements Learner {
  readonly config: DirsConfigInput;
  readonly #rng: Rng;
  #trainer: DirsTrainer | undefined;
  #policy: DirsPolicy | undefined;

  constructor(config: DirsConfigInput, rng: Rng) {
    this.config = config;
    this.#rng = rng;
  }

  get trainer(): DirsTrainer | undefined {
    return this.#trainer;
  }

  train(ctx: TrainContext): Observable<TrainEvent> {
    return defer(() => {
      const env = asMecEnv(ctx.env, 'dirs');
      this.#trainer?.dispose();
      const trainer = new DirsTrainer(env.config, this.config, this.#rng.split('trainer'));
      this.#trainer = trainer;
      const seed = this.#rng.split('demo-seed').nextUint32();
      trainer.addDemonstrations(trainer.generateDemonstrations(seed));
      const pre = trainer.pretrain();
      this.#policy = trainer.policy();
      const rounds: TrainEvent[] = [];
      const stage = trainer.onlineStage(seed + 1, (round, loss) => {
        rounds.push({ type: 'metrics', step: round, values: { loss } });
      });
      // Per slot the loop calls act for every agent, steps, then reports every agent's transition: the slot's model
      // is captured when the first agent acts and learned from when the first agent's transition comes back.
      const first = env.possibleAgents[0] as string;
      let model: MecCostModel | undefined;
      const acting = this.policy();
      const policy: Policy = {
        act: (observation, options) => {
          if (options.agent === first) model = env.model;
          return acting.act(observation, options);
        },
      };
      const episodes = runEpisodes(ctx, policy, {
        onTransition: (t) => {
          if (t.agent === first && model !== undefined) stage.observe(model, (t.info as MecStepInfo).decision);
        },
      });
      return concat(
        of<TrainEvent>({
          type: 'metrics',
          step: 0,
          values: { pretrainLoss: pre.losses.at(-1) ?? Number.NaN, demonstrations: trainer.config.demonstrations },
        }),
        episodes.pipe(mergeMap((e) => [...rounds.splice(0), e])),
      );
    });
  }

  async save(dir: string): Promise<void> {
    if (!this.#policy) throw new TwinforgeError('LEARNER_FAILED', 'DIRS: nothing to save before train() or load()');
    await this.#policy.save(dir);
  }

  async load(dir: string): Promise<void> {
    this.#policy = await DirsPolicy.load(dir);
  }

  policy(): Policy {
    return {
      act: (observation: unknown, options: ActOptions) => {
        const policy = this.#policy;
        if (!policy)
          throw new TwinforgeError('LEARNER_FAILED', 'DIRS policy() needs train() (or a loaded model) first');
        const j = Number((options.agent ?? '').replace('mec_', ''));
        if (!Number.isInteger(j) || j < 0 || j >= policy.agents.mecs) {
          throw new TwinforgeError('INVALID_ARGUMENT', `unknown agent '${String(options.agent)}'`);
        }
        // agent j sees only its own gains h_j
        const column = policy.features.observationInto(
          new Float32Array(policy.agents.devices),
          observation as Float32Array,
          policy.agents.mecs,
          j,
        );
        const z = policy.agents.logitsFromColumn(j, column);
        return Float32Array.from(z, (v) => 1 / (1 + Math.exp(-v)));
      },
    };
  }
}
