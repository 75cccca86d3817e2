import { readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetSinkInfo } from '@twinforge/core';
import { TwinforgeError } from '@twinforge/core';
import type { Table } from 'apache-arrow';
import type { TrajectorySummary } from './episode-table.js';
import { type FeatureStats, FeatureStatsAccumulator } from './feature-stats.js';
import type { WrittenFile } from './parquet-file.js';
import { readParquetFile } from './parquet-file.js';
import { locateFooter } from './parquet-footer.js';
import { schemaDifference, trajectorySchema } from './schema.js';
import { observationColumnSpace, sharedColumnSpace } from './spaces.js';

/** What a resumed sink keeps of the dataset on disk. */
export interface PreviousDataset {
  files: WrittenFile[];
  /** Agent ids by agent_index. */
  agents: string[];
  totalFrames: number;
  summaries: TrajectorySummary[];
  stats: Record<string, FeatureStats>;
  runId?: string;
  seed?: number;
  datasetId?: string;
}

/** Suffix given to data files a crashed run left that cannot be kept: out of `data/*\/*.parquet`, but not deleted. */
export const ORPHAN_SUFFIX = '.orphaned';

/**
 * Rebuilds what a run killed before writing meta/info.json left: the data files file-000, file-001, … (a
 * contiguous prefix) whose magic, footer and row count check out and whose `index` continues the previous file. Files
 * are kept whole, so the kept prefix ends at the last file whose final row closes a trajectory; later files are
 * renamed with ORPHAN_SUFFIX. meta/episodes and stats are recomputed from the kept rows.
 */
export async function recoverDataset(dir: string, info: DatasetSinkInfo): Promise<PreviousDataset> {
  const chunk = join(dir, 'data', 'chunk-000');
  let names: string[];
  try {
    names = readdirSync(chunk).filter((n) => /^file-\d{3}\.parquet$/.test(n));
  } catch {
    names = [];
  }
  names.sort();
  const expected = trajectorySchema(
    observationColumnSpace(info.observationSpace, 'observation.state'),
    sharedColumnSpace(info.actionSpace, 'action'),
  );
  const files: WrittenFile[] = [];
  const tables: Table[] = [];
  let rows = 0;
  for (const [i, name] of names.entries()) {
    const path = `data/chunk-000/${name}`;
    if (name !== `file-${String(i).padStart(3, '0')}.parquet`) break;
    let table: Table;
    let written: WrittenFile;
    try {
      const bytes = readFileSync(join(dir, path));
      const location = locateFooter(bytes, path);
      const read = await readParquetFile(dir, path);
      table = read.table;
      written = { path, rows: read.rows, bytes: bytes.length, footerOffset: location.footerOffset };
    } catch {
      break;
    }
    if (schemaDifference(table.schema, expected) !== undefined) break;
    if (table.numRows === 0 || Number(table.getChild('index')?.get(0)) !== rows) break;
    files.push(written);
    tables.push(table);
    rows += table.numRows;
  }
  // Drop trailing files until the last kept one ends a trajectory.
  while (tables.length > 0) {
    const last = tables[tables.length - 1] as Table;
    if (last.getChild('is_last')?.get(last.numRows - 1) === true) break;
    tables.pop();
    const dropped = files.pop() as WrittenFile;
    rows -= dropped.rows;
  }
  const kept = new Set(files.map((f) => f.path));
  for (const name of names) {
    const path = `data/chunk-000/${name}`;
    if (!kept.has(path)) renameSync(join(dir, path), join(dir, `${path}${ORPHAN_SUFFIX}`));
  }

  const typeOf = (name: string) => expected.fields.find((f) => f.name === name)?.type as { listSize?: number };
  const obsWidth = typeOf('observation.state').listSize ?? 1;
  // Int64 (Discrete) is a scalar; FixedSizeList<float32 | int64> (Box, MultiDiscrete, MultiBinary) a vector.
  const discrete = String(typeOf('action')) === 'Int64';
  const actWidth = discrete ? 1 : (typeOf('action').listSize ?? 1);
  const obs = new FeatureStatsAccumulator(obsWidth);
  const act = new FeatureStatsAccumulator(actWidth);
  const reward = new FeatureStatsAccumulator(1);
  const time = new FeatureStatsAccumulator(1);
  const agents: string[] = [];
  const summaries: TrajectorySummary[] = [];
  let current: TrajectorySummary | undefined;
  let steps = 0;
  let row = 0;
  for (const table of tables) {
    // The schema was checked above, so every column exists.
    const col = (name: string) => table.getChild(name) as NonNullable<ReturnType<Table['getChild']>>;
    const [ep, agentIndex, agentId, scenario, o, a, r, ts, last] = [
      col('episode_index'),
      col('agent_index'),
      col('agent_id'),
      col('scenario_id'),
      col('observation.state'),
      col('action'),
      col('next.reward'),
      col('timestamp'),
      col('is_last'),
    ];
    for (let i = 0; i < table.numRows; i++, row++) {
      const episodeIndex = Number(ep.get(i));
      const agent = Number(agentIndex.get(i));
      agents[agent] = agentId.get(i) as string;
      if (current === undefined) {
        current = {
          trajectoryIndex: summaries.length,
          episodeIndex,
          agentIndex: agent,
          agentId: agents[agent] as string,
          length: 0,
          fromIndex: row,
          toIndex: row,
          rewardSum: 0,
          rewardMean: 0,
          scenarioId: scenario.get(i) as string,
          // The crashed run's seed was only in its info.json; the resuming run's is the best record left.
          seed: info.seed,
        };
        steps = 0;
      }
      current.length++;
      current.toIndex = row + 1;
      obs.add((o.get(i) as { toArray(): Float32Array }).toArray(), 0);
      time.add([ts.get(i) as number], 0);
      if (last.get(i) === true) {
        current.rewardMean = steps > 0 ? current.rewardSum / steps : 0;
        summaries.push(current);
        current = undefined;
        continue;
      }
      steps++;
      const rv = r.get(i) as number;
      current.rewardSum += rv;
      reward.add([rv], 0);
      const av = a.get(i);
      // A vector's toArray() is a Float32Array (Box) or a BigInt64Array (MultiDiscrete); add() takes either.
      act.add(discrete ? [av as bigint] : (av as { toArray(): Float32Array | BigInt64Array }).toArray(), 0);
    }
  }
  if (current !== undefined) {
    throw new TwinforgeError('DATASET_CORRUPT', `${dir}: the kept data files end inside a trajectory`, {
      details: { dir },
    });
  }
  return {
    files,
    agents: Array.from(agents, (a, i) => a ?? `agent_${i}`),
    totalFrames: rows,
    summaries,
    stats: {
      'observation.state': obs.result(),
      action: act.result(),
      'next.reward': reward.result(),
      timestamp: time.result(),
    },
  };
}
