import { createRng, type Rng } from '@twinforge/core';
import {
  type MecAllocation,
  type MecCostModel,
  type MecInstance,
  maxVoteInto,
  solveAllocation,
} from '@twinforge/plugin-env-mec';
import { loadWeights, readCheckpointMetadata, saveWeights } from '@twinforge/tensor';
import { z } from 'zod';
import type { DecisionPolicy } from './decision-policy.js';
import { DirsAgents } from './nn/dirs-agents.js';
import { GainFeatures } from './nn/features.js';

/** What one online decision produces (Algorithm 1 lines 7-11). */
export interface DirsDecision {
  readonly decision: Int32Array;
  readonly allocation: MecAllocation;
}

/** What `save` stores beside the weights: enough to rebuild the networks and their input scaling. */
const checkpointMetadataSchema = z.object({
  kind: z.literal('dirs-policy'),
  devices: z.number().int().positive(),
  mecs: z.number().int().positive(),
  sizes: z.array(z.number().int().positive()).min(3),
  features: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  threshold: z.number().default(0.5),
});

/**
 * The deployed DIRS policy: each MEC's agent scores the devices from its own gains h_j only, the max vote with the
 * 0.5 rule fixes the offloading decision, devices voted onto an unusable link run locally, and each MEC solves its
 * allocation (Eq. 13). `infer` is exactly that path and is what the inference time measures; `decide` is the same
 * decision as a DecisionPolicy for evaluation code that already holds the slot's cost model.
 */
export class DirsPolicy implements DecisionPolicy {
  readonly name = 'dirs';
  readonly agents: DirsAgents;
  readonly features: GainFeatures;
  readonly threshold: number;
  readonly #columns: Float32Array[];
  readonly #scores: Float32Array[];

  constructor(agents: DirsAgents, features: GainFeatures, threshold = 0.5) {
    this.agents = agents;
    this.features = features;
    this.threshold = threshold;
    this.#columns = Array.from({ length: agents.mecs }, () => new Float32Array(agents.devices));
    this.#scores = Array.from({ length: agents.mecs }, () => new Float32Array(agents.devices));
  }

  /** Agent j's scores from its own gains (what MEC j computes locally). */
  agentScores(j: number, gains: ArrayLike<number>): Float32Array {
    const m = this.agents.mecs;
    const column = this.features.columnInto(this.#columns[j] as Float32Array, gains, m, j);
    const z = this.agents.logitsFromColumn(j, column);
    const out = this.#scores[j] as Float32Array;
    for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(-(z[i] as number)));
    return out;
  }

  /** All agents' scores for a slot (owned by the policy, overwritten by the next call). */
  scores(gains: ArrayLike<number>): Float32Array[] {
    for (let j = 0; j < this.agents.mecs; j++) this.agentScores(j, gains);
    return this.#scores;
  }

  /** The voted, repaired decision for a slot's instance. */
  decideInstance(inst: MecInstance): Int32Array {
    const decision = maxVoteInto(new Int32Array(inst.devices), this.scores(inst.gain), this.threshold);
    const m = inst.mecs;
    for (let i = 0; i < decision.length; i++) {
      const a = decision[i] as number;
      if (a > 0 && (!((inst.gain[i * m + a - 1] as number) > 0) || (inst.mecUp && inst.mecUp[a - 1] !== 1))) {
        decision[i] = 0;
      }
    }
    return decision;
  }

  /** One online decision: scores → vote → repair → per-MEC allocation. */
  infer(inst: MecInstance): DirsDecision {
    const decision = this.decideInstance(inst);
    return { decision, allocation: solveAllocation(inst, decision) };
  }

  decide(model: MecCostModel, _rng?: Rng): Int32Array {
    return this.decideInstance(model.instance);
  }

  /** Saves the agents' weights (a checksummed @twinforge/tensor checkpoint) with what is needed to rebuild them. */
  async save(dir: string): Promise<void> {
    await saveWeights(dir, this.agents.weightGroups(), {
      metadata: {
        kind: 'dirs-policy',
        devices: this.agents.devices,
        mecs: this.agents.mecs,
        sizes: [...this.agents.sizes],
        features: this.features.toJSON(),
        threshold: this.threshold,
      },
    });
  }

  /** Rebuilds a saved policy (the tensor backend must be initialised). */
  static async load(dir: string): Promise<DirsPolicy> {
    const meta = await readCheckpointMetadata(dir, checkpointMetadataSchema, 'a DIRS policy');
    const agents = new DirsAgents(
      {
        devices: meta.devices,
        mecs: meta.mecs,
        hidden: [meta.sizes[1] as number, meta.sizes[2] as number],
        lr: 1e-3,
        lambda1: 0,
      },
      createRng(0),
    );
    await loadWeights(dir, agents.weightGroups());
    agents.refreshInference();
    return new DirsPolicy(agents, new GainFeatures(meta.features.mean, meta.features.std), meta.threshold);
  }
}
