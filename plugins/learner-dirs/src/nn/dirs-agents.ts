import { type Rng, TwinforgeError } from '@twinforge/core';
import { Adam, createMlp, getFlatWeights, type Mlp, tf, variablesOf } from '@twinforge/tensor';
import { FlatMlp } from './flat-mlp.js';

export interface DirsAgentsOptions {
  readonly devices: number;
  readonly mecs: number;
  /** The two hidden widths of each agent's 4-layer DNN [N, h1, h2, N]. */
  readonly hidden: readonly [number, number];
  readonly lr: number;
  /** λ1 of Eq. 14; 0 drops the L2 term (the L_D-only column of Table II). */
  readonly lambda1: number;
}

/** One minibatch in the replay buffer's layout. */
export interface AgentBatch {
  readonly size: number;
  /** Features of h, B × (N·M), each row N×M row-major. */
  readonly features: Float32Array;
  /** Target decisions a*, B × N, values 0..M. */
  readonly decisions: Float32Array;
  /**
   * Weight of each row's summed cross-entropy in the loss: 1/K for a demonstration row and λ2/S for an agent row
   * reproduces L_D + λ2·L_A of Eqs. 14-17 (K, S: demonstration and agent rows in the batch).
   */
  readonly rowWeights: Float32Array;
}

export interface AgentsStep {
  /** The loss (Eq. 14 or 16) of each agent. */
  readonly losses: Float32Array;
  /** Per row: the cross-entropy per device averaged over agents, the |δ| of Eq. 15's priorities. */
  readonly rowLoss: Float32Array;
}

/**
 * The M agents of DIRS (seed 004 §IV-C): agent j is a 4-layer fully-connected DNN [N, h1, h2, N] that reads its own
 * channel gains h_j (as features) and outputs, through a sigmoid, the probability that each device offloads to MEC j.
 * Training (Eqs. 14, 16, 17): the summed binary cross-entropy of π(h_j) against a*_j = 1[a*_i = j], weighted per
 * row, plus λ1·‖θ_j‖², minimised by Adam, each agent on its own parameters. Inference runs the same weights in plain
 * JavaScript (FlatMlp), refreshed after every training call.
 */
export class DirsAgents {
  readonly devices: number;
  readonly mecs: number;
  readonly sizes: readonly number[];
  readonly lambda1: number;
  readonly nets: readonly Mlp[];
  readonly #opts: readonly Adam[];
  readonly #flat: FlatMlp[];
  readonly #input: Float32Array;

  constructor(options: DirsAgentsOptions, rng: Rng) {
    const { devices: n, mecs: m } = options;
    this.devices = n;
    this.mecs = m;
    this.lambda1 = options.lambda1;
    this.sizes = [n, options.hidden[0], options.hidden[1], n];
    this.nets = Array.from({ length: m }, (_, j) =>
      createMlp({ sizes: [...this.sizes], activation: 'relu', name: `agent${j}` }, rng.split(`agent${j}`)),
    );
    this.#opts = this.nets.map((net) => new Adam(net, { lr: options.lr }));
    this.#flat = this.nets.map((net) => new FlatMlp(this.sizes, getFlatWeights(net)));
    this.#input = new Float32Array(n);
  }

  /** Agent j's logits for one state's features (N×M row-major); owned by the agent, overwritten next call. */
  logits(j: number, features: Float32Array): Float32Array {
    const n = this.devices;
    const m = this.mecs;
    const x = this.#input;
    for (let i = 0; i < n; i++) x[i] = features[i * m + j] as number;
    return (this.#flat[j] as FlatMlp).forward(x);
  }

  /** Agent j's logits from its own input column (what runs on MEC j with only h_j). */
  logitsFromColumn(j: number, column: Float32Array): Float32Array {
    return (this.#flat[j] as FlatMlp).forward(column);
  }

  /** Sigmoid scores π(h_j) of every agent for one state, into out[j] (length N each). */
  scoresInto(out: Float32Array[], features: Float32Array): Float32Array[] {
    for (let j = 0; j < this.mecs; j++) {
      const z = this.logits(j, features);
      const o = out[j] as Float32Array;
      for (let i = 0; i < this.devices; i++) o[i] = 1 / (1 + Math.exp(-(z[i] as number)));
    }
    return out;
  }

  /** One Adam step per agent on a batch; refreshes the inference weights. */
  trainStep(batch: AgentBatch): AgentsStep {
    const n = this.devices;
    const m = this.mecs;
    const b = batch.size;
    if (batch.features.length !== b * n * m || batch.decisions.length !== b * n || batch.rowWeights.length !== b) {
      throw new TwinforgeError('TENSOR_SHAPE_MISMATCH', 'AgentBatch arrays do not match its size and the agents');
    }
    const losses = new Float32Array(m);
    const rowLoss = new Float32Array(b);
    const x = new Float32Array(b * n);
    const y = new Float32Array(b * n);
    const weights = tf.tensor1d(batch.rowWeights);
    try {
      for (let j = 0; j < m; j++) {
        for (let r = 0; r < b; r++) {
          for (let i = 0; i < n; i++) {
            x[r * n + i] = batch.features[(r * n + i) * m + j] as number;
            y[r * n + i] = batch.decisions[r * n + i] === j + 1 ? 1 : 0;
          }
        }
        const net = this.nets[j] as Mlp;
        const xt = tf.tensor2d(x, [b, n]);
        const yt = tf.tensor2d(y, [b, n]);
        try {
          const step = (this.#opts[j] as Adam).minimize(() => {
            const logits = net.apply(xt);
            // stable BCE with logits: max(z, 0) − z·y + log(1 + e^{−|z|}), summed over the N devices (Eq. 14)
            const ce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, yt)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
            const perRow = tf.sum(ce, 1);
            let loss: tf.Scalar = tf.sum(tf.mul(perRow, weights));
            if (this.lambda1 > 0) {
              const l2 = tf.addN(variablesOf(net).map((v) => tf.sum(tf.square(v))));
              loss = tf.add(loss, tf.mul(l2, this.lambda1));
            }
            return { loss, aux: perRow };
          });
          losses[j] = step.loss;
          const aux = step.aux as Float32Array;
          for (let r = 0; r < b; r++) rowLoss[r] = (rowLoss[r] as number) + (aux[r] as number) / (n * m);
        } finally {
          xt.dispose();
          yt.dispose();
        }
        (this.#flat[j] as FlatMlp).load(getFlatWeights(net));
      }
    } finally {
      weights.dispose();
    }
    return { losses, rowLoss };
  }

  /** Re-reads every agent's weights into the inference copies (after loading a checkpoint). */
  refreshInference(): void {
    this.nets.forEach((net, j) => {
      (this.#flat[j] as FlatMlp).load(getFlatWeights(net));
    });
  }

  /** The agents as checkpoint groups `agent<j>`. */
  weightGroups(): Record<string, Mlp> {
    return Object.fromEntries(this.nets.map((net, j) => [`agent${j}`, net]));
  }

  /** Total parameters of all agents. */
  get parameterCount(): number {
    return this.mecs * FlatMlp.parameterCount(this.sizes);
  }

  dispose(): void {
    for (const net of this.nets) net.dispose();
  }
}
