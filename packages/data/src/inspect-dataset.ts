import type { DatasetReader } from './dataset-reader.js';
import type { FeatureStats } from './feature-stats.js';

/** What `twinforge dataset inspect` prints: schema, counts and statistics of a validated dataset. */
export interface DatasetSummary {
  datasetId: string;
  formatVersion: string;
  environment: string;
  columns: { name: string; type: string }[];
  frames: number;
  episodes: number;
  trajectories: number;
  agents: string[];
  scenarios: string[];
  files: number;
  bytes: number;
  complete: boolean;
  stats: Record<string, FeatureStats>;
}

/** Summarises an opened (and therefore validated) dataset for the CLI's inspect command. */
export function inspectDataset(reader: DatasetReader): DatasetSummary {
  const info = reader.info;
  const traj = info.trajectory;
  const scenarios = new Set<string>();
  const col = reader.episodes.getChild('scenario_id');
  for (let i = 0; i < reader.episodes.numRows; i++) scenarios.add(col?.get(i) as string);
  const files = [...traj.files.data, ...traj.files.episodes];
  return {
    datasetId: traj.dataset_id,
    formatVersion: traj.format_version,
    environment: traj.environment,
    columns: reader.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })),
    frames: info.total_frames,
    episodes: info.total_episodes,
    trajectories: traj.total_trajectories,
    agents: [...traj.agents],
    scenarios: [...scenarios].sort(),
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    complete: traj.complete,
    stats: reader.stats(),
  };
}
