import { Float64, makeVector, Table, Utf8, vectorFromArray } from 'apache-arrow';

/** One row of meta/episodes: a trajectory, i.e. one agent's rows in one environment episode. */
export interface TrajectorySummary {
  trajectoryIndex: number;
  episodeIndex: number;
  agentIndex: number;
  agentId: string;
  /** Rows in the data file (T+1 for a complete trajectory). */
  length: number;
  /** First row's `index`. */
  fromIndex: number;
  /** One past the last row's `index` (LeRobot's dataset_to_index is exclusive). */
  toIndex: number;
  rewardSum: number;
  /** Mean reward per step (rows with an action, so T for a complete trajectory). */
  rewardMean: number;
  scenarioId: string;
  /** Seed of the run that produced the trajectory (a resumed dataset mixes runs). */
  seed: number;
}

/** The meta/episodes table, one row per trajectory, in data order. */
export function episodeTable(rows: readonly TrajectorySummary[]): Table {
  const ints = (f: (r: TrajectorySummary) => number) => makeVector(BigInt64Array.from(rows, (r) => BigInt(f(r))));
  const floats = (f: (r: TrajectorySummary) => number) => vectorFromArray(rows.map(f), new Float64());
  const strings = (f: (r: TrajectorySummary) => string) => vectorFromArray(rows.map(f), new Utf8());
  return new Table({
    trajectory_index: ints((r) => r.trajectoryIndex),
    episode_index: ints((r) => r.episodeIndex),
    agent_index: ints((r) => r.agentIndex),
    agent_id: strings((r) => r.agentId),
    length: ints((r) => r.length),
    dataset_from_index: ints((r) => r.fromIndex),
    dataset_to_index: ints((r) => r.toIndex),
    reward_sum: floats((r) => r.rewardSum),
    reward_mean: floats((r) => r.rewardMean),
    scenario_id: strings((r) => r.scenarioId),
    seed: ints((r) => r.seed),
  });
}
