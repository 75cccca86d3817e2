import type { ColumnSpace } from './spaces.js';

/** int64 columns of the layout: index, episode_index, frame_index, task_index, env_episode_index, env_step, agent_index. */
const INT64_COLUMNS = 7;
/** bool columns: next.done, next.truncated, is_first, is_last, is_terminal (a byte each, rounded up from bits). */
const BOOL_COLUMNS = 5;

/**
 * Upper estimate of one row's bytes before compression: fixed-width columns plus, for agent_id and scenario_id, the
 * longest value and its int32 offset. Parquet with ZSTD stores less, so files split by this estimate stay under the
 * byte limit (the footer, a few KB, aside).
 */
export function estimateRowBytes(
  observationWidth: number,
  action: ColumnSpace,
  agentIds: readonly string[],
  scenarioIds: readonly string[],
): number {
  const longest = (values: readonly string[]) =>
    values.reduce((m, v) => Math.max(m, Buffer.byteLength(v, 'utf8')), 0) + 4;
  // Box: float32 per entry; Discrete: one int64; MultiDiscrete / MultiBinary: an int64 per entry.
  const actionBytes = action.kind === 'box' ? 4 * action.width : action.kind === 'discrete' ? 8 : 8 * action.width;
  return (
    8 * INT64_COLUMNS +
    8 /* timestamp */ +
    4 * observationWidth +
    actionBytes +
    4 /* next.reward */ +
    BOOL_COLUMNS +
    longest(agentIds) +
    longest(scenarioIds)
  );
}
