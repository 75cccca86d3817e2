import { Rng, type RngState, rngStateSchema, TwinforgeError } from '@twinforge/core';
import { loadWeights, readCheckpointMetadata, saveWeights, type WeightGroups } from '@twinforge/tensor';
import { z } from 'zod';
import type { Td3Agent } from './td3-agent.js';

/** Bump on an incompatible change of what the metadata holds. */
export const TD3_CHECKPOINT_VERSION = 1;

const metadataSchema = z.strictObject({
  learner: z.literal('td3'),
  version: z.literal(TD3_CHECKPOINT_VERSION),
  obsDim: z.number().int().positive(),
  low: z.array(z.number()).min(1),
  high: z.array(z.number()).min(1),
  /** The full resolved config, so `Td3Agent.fromCheckpoint` rebuilds the same architecture. */
  config: z.record(z.string(), z.unknown()),
  steps: z.number().int().nonnegative(),
  updates: z.number().int().nonnegative(),
  rng: z.strictObject({ explore: rngStateSchema, replay: rngStateSchema, smoothing: rngStateSchema }),
});
export type Td3CheckpointMetadata = z.output<typeof metadataSchema>;

export interface Td3RuntimeState {
  readonly steps: number;
  readonly updates: number;
  readonly rng: { readonly explore: RngState; readonly replay: RngState; readonly smoothing: RngState };
}

/** Both Adams' moments and step counts travel with the weights, so a resumed run continues bit for bit. */
function groups(agent: Td3Agent): WeightGroups {
  return {
    actor: agent.actor,
    actorTarget: agent.actorTarget,
    critic: agent.critic,
    criticTarget: agent.criticTarget,
    actorOptimizer: agent.actorOptimizer.asWeightSource(),
    criticOptimizer: agent.criticOptimizer.asWeightSource(),
  };
}

export async function saveTd3Checkpoint(dir: string, agent: Td3Agent, state: Td3RuntimeState): Promise<void> {
  const metadata: Td3CheckpointMetadata = {
    learner: 'td3',
    version: TD3_CHECKPOINT_VERSION,
    obsDim: agent.obsDim,
    low: Array.from(agent.low),
    high: Array.from(agent.high),
    config: { ...agent.config },
    steps: state.steps,
    updates: state.updates,
    rng: {
      explore: state.rng.explore,
      replay: state.rng.replay,
      smoothing: state.rng.smoothing,
    },
  };
  await saveWeights(dir, groups(agent), { metadata });
}

/** Validated TD3 metadata of a checkpoint (without loading any weights). */
export async function readTd3Metadata(dir: string): Promise<Td3CheckpointMetadata> {
  return readCheckpointMetadata(dir, metadataSchema, 'a TD3');
}

/** Loads weights and optimizer state into `agent` after checking the checkpoint was made for its shapes. */
export async function loadTd3Checkpoint(
  dir: string,
  agent: Td3Agent,
): Promise<{ steps: number; updates: number; rng: { explore: Rng; replay: Rng; smoothing: Rng } }> {
  const meta = await readTd3Metadata(dir);
  if (meta.obsDim !== agent.obsDim || meta.low.length !== agent.actionDim) {
    throw new TwinforgeError(
      'CHECKPOINT_INVALID',
      `${dir} holds a TD3 for ${meta.obsDim} observations and ${meta.low.length} action dimensions; this agent has ${agent.obsDim} and ${agent.actionDim}`,
      { details: { dir } },
    );
  }
  await loadWeights(dir, groups(agent));
  return {
    steps: meta.steps,
    updates: meta.updates,
    rng: {
      explore: Rng.fromState(meta.rng.explore),
      replay: Rng.fromState(meta.rng.replay),
      smoothing: Rng.fromState(meta.rng.smoothing),
    },
  };
}
