import { Rng, type RngState, rngStateSchema, TwinforgeError } from '@twinforge/core';
import { loadWeights, readCheckpointMetadata, saveWeights, type WeightGroups } from '@twinforge/tensor';
import { z } from 'zod';
import type { DqnConfig } from './config.js';
import type { DqnAgent } from './dqn-agent.js';

/** Bump on an incompatible change of what the metadata holds. */
export const DQN_CHECKPOINT_VERSION = 1;

const metadataSchema = z.strictObject({
  learner: z.literal('dqn'),
  version: z.literal(DQN_CHECKPOINT_VERSION),
  obsDim: z.number().int().positive(),
  nActions: z.number().int().positive(),
  /** The full resolved config, so `DqnAgent.fromCheckpoint` rebuilds the same architecture. */
  config: z.record(z.string(), z.unknown()),
  steps: z.number().int().nonnegative(),
  updates: z.number().int().nonnegative(),
  rng: z.strictObject({ explore: rngStateSchema, replay: rngStateSchema }),
});
export type DqnCheckpointMetadata = z.output<typeof metadataSchema>;

export interface DqnRuntimeState {
  readonly steps: number;
  readonly updates: number;
  readonly rng: { readonly explore: RngState; readonly replay: RngState };
}

/** Adam's moments and step count travel with the weights, so a resumed run continues bit for bit. */
function groups(agent: DqnAgent): WeightGroups {
  return { q: agent.q, target: agent.target, optimizer: agent.optimizer.asWeightSource() };
}

export async function saveDqnCheckpoint(dir: string, agent: DqnAgent, state: DqnRuntimeState): Promise<void> {
  const metadata: DqnCheckpointMetadata = {
    learner: 'dqn',
    version: DQN_CHECKPOINT_VERSION,
    obsDim: agent.obsDim,
    nActions: agent.nActions,
    config: { ...agent.config },
    steps: state.steps,
    updates: state.updates,
    rng: { explore: state.rng.explore, replay: state.rng.replay },
  };
  await saveWeights(dir, groups(agent), { metadata });
}

/** Validated DQN metadata of a checkpoint (without loading any weights). */
export async function readDqnMetadata(dir: string): Promise<DqnCheckpointMetadata> {
  return readCheckpointMetadata(dir, metadataSchema, 'a DQN');
}

/** Loads weights and optimizer state into `agent` after checking the checkpoint was made for its shapes. */
export async function loadDqnCheckpoint(
  dir: string,
  agent: DqnAgent,
): Promise<{ steps: number; updates: number; rng: { explore: Rng; replay: Rng } }> {
  const meta = await readDqnMetadata(dir);
  if (meta.obsDim !== agent.obsDim || meta.nActions !== agent.nActions) {
    throw new TwinforgeError(
      'CHECKPOINT_INVALID',
      `${dir} holds a DQN for ${meta.obsDim} observations and ${meta.nActions} actions; this agent has ${agent.obsDim} and ${agent.nActions}`,
      { details: { dir } },
    );
  }
  await loadWeights(dir, groups(agent));
  return {
    steps: meta.steps,
    updates: meta.updates,
    rng: { explore: Rng.fromState(meta.rng.explore), replay: Rng.fromState(meta.rng.replay) },
  };
}

/** The config stored in a checkpoint, as an input for a new agent. */
export function checkpointConfig(meta: DqnCheckpointMetadata): DqnConfig {
  return meta.config as DqnConfig;
}
