import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatasetSinkInfo, StepRecord } from '@twinforge/core';
import { ParquetDatasetSink, type ParquetDatasetSinkOptions } from '../src/index.js';

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'twinforge-data-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function boxInfo(obs: number, act: number | 'discrete', agents = ['agent_0'], actN = 5): DatasetSinkInfo {
  return {
    runId: 'run-test',
    seed: 7,
    environment: 'test-env',
    agents,
    observationSpace: { type: 'Box', shape: [obs], low: -1, high: 1, dtype: 'float32' },
    actionSpace:
      act === 'discrete'
        ? { type: 'Discrete', n: actN, start: 0 }
        : { type: 'Box', shape: [act], low: -1, high: 1, dtype: 'float32' },
  };
}

/** A trajectory of `steps` steps for one agent: T rows with actions plus the final row. */
export function trajectory(
  episodeIndex: number,
  agentId: string,
  steps: number,
  obsWidth: number,
  action: (t: number) => unknown,
  scenarioId = 'scn-0',
): StepRecord[] {
  const rows: StepRecord[] = [];
  for (let t = 0; t <= steps; t++) {
    const last = t === steps;
    rows.push({
      episodeIndex,
      frameIndex: t,
      timestamp: t * 0.5,
      agentId,
      observation: Float32Array.from({ length: obsWidth }, (_, j) => Math.fround(t + j / 8)),
      action: last ? null : action(t),
      reward: last ? 0 : (t % 3) - 0.25,
      done: false,
      truncated: t === steps - 1,
      isFirst: t === 0,
      isLast: last,
      isTerminal: false,
      scenarioId,
    });
  }
  return rows;
}

export async function writeDataset(
  dir: string,
  info: DatasetSinkInfo,
  records: readonly StepRecord[],
  options: Omit<ParquetDatasetSinkOptions, 'dir'> = {},
) {
  const sink = new ParquetDatasetSink({ dir, ...options });
  await sink.open(info);
  for (const r of records) sink.write(r);
  return sink.close();
}
